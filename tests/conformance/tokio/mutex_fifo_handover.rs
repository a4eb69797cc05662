// tokio::sync::Mutex is fair: at unlock the lock goes to the longest waiter; here the waiters queued in the order they ran (c first, from the LIFO slot).
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

async fn contender(m: Arc<Mutex<()>>, name: &'static str) {
    println!("{} waits", name);
    let guard = m.lock().await;
    println!("{} got the lock", name);
    drop(guard);
}

fn main() {
    oracle::run(async {
        let m = Arc::new(Mutex::new(()));
        let guard = m.lock().await;
        tokio::spawn(contender(m.clone(), "a"));
        tokio::spawn(contender(m.clone(), "b"));
        tokio::spawn(contender(m.clone(), "c"));
        tokio::time::sleep(Duration::from_millis(10)).await;
        drop(guard);
        println!("main unlocked");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
