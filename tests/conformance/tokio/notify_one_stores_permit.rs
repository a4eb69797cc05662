// notify_one with nobody waiting stores one permit: the next notified() completes at once, the one after waits for another notify_one.
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

async fn waiter(n: Arc<Notify>) {
    n.notified().await;
    println!("waiter: first notified() done at once");
    n.notified().await;
    println!("waiter: second notified() done");
}

fn main() {
    oracle::run(async {
        let n = Arc::new(Notify::new());
        n.notify_one();
        n.notify_one();
        println!("main notified twice");
        tokio::spawn(waiter(n.clone()));
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main notifies again");
        n.notify_one();
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
