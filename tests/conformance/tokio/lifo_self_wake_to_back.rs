// A task woken while it is still running (here by its own join! branch) is queued at the back, like a yield, not in the LIFO slot: the jobs run first.
use std::time::Duration;
use tokio::sync::Notify;

async fn job(n: i64) {
    println!("job {}", n);
}

async fn waiter(n: &Notify) {
    n.notified().await;
    println!("waiter woke");
}

async fn notifier(n: &Notify) {
    n.notify_one();
    println!("notifier notified");
}

fn main() {
    oracle::run(async {
        let n = Notify::new();
        tokio::spawn(job(1));
        tokio::spawn(job(2));
        tokio::join!(waiter(&n), notifier(&n));
        println!("main after join");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
