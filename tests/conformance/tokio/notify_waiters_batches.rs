// notify_waiters (.coro notify_all) on 40 waiters wakes them in batches of 32, each batch newest first; through the LIFO slot this gives a fixed, odd run order.
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

async fn waiter(n: Arc<Notify>, woke: Arc<Mutex<Vec<String>>>, id: i64) {
    n.notified().await;
    woke.lock().unwrap().push(id.to_string());
}

fn main() {
    oracle::run(async {
        let n = Arc::new(Notify::new());
        let woke = Arc::new(Mutex::new(Vec::new()));
        for id in 1..=40 {
            tokio::spawn(waiter(n.clone(), woke.clone(), id));
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        n.notify_waiters();
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("woke {}", woke.lock().unwrap().join(" "));
    });
}
