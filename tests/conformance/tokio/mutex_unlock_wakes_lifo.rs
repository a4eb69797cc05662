// Unlocking wakes the waiting task into the LIFO slot: it gets the lock before the jobs spawned just before the unlock run.
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

async fn waiter(m: Arc<Mutex<()>>) {
    let _guard = m.lock().await;
    println!("waiter got the lock");
}

async fn job(n: i64) {
    println!("job {}", n);
}

fn main() {
    oracle::run(async {
        let m = Arc::new(Mutex::new(()));
        let guard = m.lock().await;
        tokio::spawn(waiter(m.clone()));
        tokio::time::sleep(Duration::from_millis(10)).await;
        tokio::spawn(job(1));
        tokio::spawn(job(2));
        drop(guard);
        println!("main unlocked");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
