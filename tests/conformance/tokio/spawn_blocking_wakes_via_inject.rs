// A task woken from a blocking-pool thread goes to the inject queue, which a busy worker checks every 61 ticks: main resumes before the 150 queued jobs are done.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

static DONE: AtomicUsize = AtomicUsize::new(0);

async fn job() {
    oracle::work(1);
    DONE.fetch_add(1, Ordering::SeqCst);
}

fn main() {
    oracle::run(async {
        for _ in 0..150 {
            tokio::spawn(job());
        }
        let v = tokio::task::spawn_blocking(|| {
            oracle::block(20);
            7
        })
        .await
        .unwrap();
        let done = DONE.load(Ordering::SeqCst);
        if done < 120 {
            println!("main got {} with jobs still queued", v);
        } else {
            println!("main got {} after the jobs", v);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        println!("jobs done {}", DONE.load(Ordering::SeqCst));
    });
}
