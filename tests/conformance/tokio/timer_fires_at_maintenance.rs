// A timer that expires while the worker runs a long queue of 1 ms jobs does not wait for the queue to empty: maintenance every 61 ticks polls the timer driver.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

static DONE: AtomicUsize = AtomicUsize::new(0);

async fn job() {
    oracle::work(1);
    DONE.fetch_add(1, Ordering::SeqCst);
}

async fn sleeper() {
    tokio::time::sleep(Duration::from_millis(10)).await;
    if DONE.load(Ordering::SeqCst) < 150 {
        println!("timer 10ms fired with jobs still queued");
    } else {
        println!("timer 10ms fired after the jobs");
    }
}

fn main() {
    oracle::run(async {
        tokio::spawn(sleeper());
        tokio::time::sleep(Duration::from_millis(5)).await;
        for _ in 0..200 {
            tokio::spawn(job());
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        println!("jobs done {}", DONE.load(Ordering::SeqCst));
    });
}
