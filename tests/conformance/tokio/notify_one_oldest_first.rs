// notify_one wakes the longest waiter; two notify_one in a row wake the two oldest, and the second, taking the LIFO slot, runs first.
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

async fn waiter(n: Arc<Notify>, id: i64) {
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
        n.notify_one();
        n.notify_one();
        println!("main notified two");
        tokio::time::sleep(Duration::from_millis(10)).await;
        n.notify_one();
        println!("main notified the third");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
