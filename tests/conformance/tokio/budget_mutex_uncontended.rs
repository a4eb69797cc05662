// Locking a free tokio Mutex still costs budget: after 128 lock/unlock rounds the 129th lock yields and a queued task runs.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

static ROUNDS: AtomicUsize = AtomicUsize::new(0);

async fn locker(m: Arc<Mutex<()>>) {
    for _ in 0..200 {
        let guard = m.lock().await;
        drop(guard);
        ROUNDS.fetch_add(1, Ordering::SeqCst);
    }
    println!("locker done {}", ROUNDS.load(Ordering::SeqCst));
}

async fn other() {
    println!("other ran after {}", ROUNDS.load(Ordering::SeqCst));
}

fn main() {
    oracle::run(async {
        let m = Arc::new(Mutex::new(()));
        tokio::spawn(other());
        tokio::spawn(locker(m));
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
