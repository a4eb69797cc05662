// Unlocking hands the lock to the waiter at once: the task that unlocked and locks again right away must wait its turn, so two tasks alternate.
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

async fn worker(m: Arc<Mutex<()>>, name: &'static str) {
    for i in 1..=3 {
        let guard = m.lock().await;
        println!("{} has the lock {}", name, i);
        tokio::time::sleep(Duration::from_millis(10)).await;
        drop(guard);
    }
}

fn main() {
    oracle::run(async {
        let m = Arc::new(Mutex::new(()));
        let b = tokio::spawn(worker(m.clone(), "b"));
        let a = tokio::spawn(worker(m.clone(), "a"));
        a.await.unwrap();
        b.await.unwrap();
        println!("main done");
    });
}
