// Three tasks yield; when the worker runs out of work it wakes the deferred ones in yield order through the LIFO slot, so the last to yield resumes first.
use std::time::Duration;

async fn job(name: &'static str) {
    println!("{} before yield", name);
    tokio::task::yield_now().await;
    println!("{} after yield", name);
}

fn main() {
    oracle::run(async {
        tokio::spawn(job("a"));
        tokio::spawn(job("b"));
        tokio::task::yield_now().await;
        println!("main after yield");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
