// notify_waiters (.coro notify_all) wakes the newest waiter first and the oldest last; through the LIFO slot the oldest runs first, then the newest, then the middle one.
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

async fn waiter(n: Arc<Notify>, id: i64) {
    println!("waiter {} waits", id);
    n.notified().await;
    println!("waiter {} woke", id);
}

fn main() {
    oracle::run(async {
        let n = Arc::new(Notify::new());
        for id in 1..=3 {
            tokio::spawn(waiter(n.clone(), id));
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        n.notify_waiters();
        println!("main notified all");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
