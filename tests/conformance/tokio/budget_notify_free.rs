// Notify has no cooperative budget: a task that stores a permit and takes it again 300 times never yields, so a queued task prints only after it.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

static ROUNDS: AtomicUsize = AtomicUsize::new(0);

async fn looper(n: Arc<Notify>) {
    for _ in 0..300 {
        n.notify_one();
        n.notified().await;
        ROUNDS.fetch_add(1, Ordering::SeqCst);
    }
    println!("looper done {}", ROUNDS.load(Ordering::SeqCst));
}

async fn other() {
    println!("other ran after {}", ROUNDS.load(Ordering::SeqCst));
}

fn main() {
    oracle::run(async {
        let n = Arc::new(Notify::new());
        tokio::spawn(other());
        tokio::spawn(looper(n));
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
