// notify_waiters (.coro notify_all) with nobody waiting stores no permit: a later waiter sleeps until a notify_one.
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

async fn waiter(n: Arc<Notify>) {
    println!("waiter waits");
    n.notified().await;
    println!("waiter woke");
}

fn main() {
    oracle::run(async {
        let n = Arc::new(Notify::new());
        n.notify_waiters();
        println!("main notified all");
        tokio::spawn(waiter(n.clone()));
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main notifies one");
        n.notify_one();
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
