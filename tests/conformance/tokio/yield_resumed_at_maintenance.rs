// With 200 jobs queued, a yielded task does not wait for all of them: the worker's maintenance (every 61 ticks) wakes it early.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

static DONE: AtomicUsize = AtomicUsize::new(0);

async fn job() {
    DONE.fetch_add(1, Ordering::SeqCst);
}

fn main() {
    oracle::run(async {
        for _ in 0..200 {
            tokio::spawn(job());
        }
        tokio::task::yield_now().await;
        let done = DONE.load(Ordering::SeqCst);
        if done < 100 {
            println!("main resumed with most jobs still queued");
        } else {
            println!("main resumed after the jobs");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("jobs done {}", DONE.load(Ordering::SeqCst));
    });
}
