// Awaiting a finished task costs budget: main, woken by a sleep (one unit), awaits 200 finished tasks and must yield after 127, letting the queued task run.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

static JOINED: AtomicUsize = AtomicUsize::new(0);

async fn job() {}

async fn other() {
    println!("other ran after {}", JOINED.load(Ordering::SeqCst));
}

fn main() {
    oracle::run(async {
        let mut handles = Vec::new();
        for _ in 0..200 {
            handles.push(tokio::spawn(job()));
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        tokio::spawn(other());
        tokio::spawn(job());
        for h in handles {
            h.await.unwrap();
            JOINED.fetch_add(1, Ordering::SeqCst);
        }
        println!("main joined {}", JOINED.load(Ordering::SeqCst));
    });
}
