// Abort does not cancel at once: it schedules the idle task through the LIFO slot to be cancelled when next polled; a job spawned right after runs first, then main learns of the abort.
use std::time::Duration;
use tokio::sync::mpsc;

async fn stuck(mut rx: mpsc::UnboundedReceiver<i64>) {
    rx.recv().await;
    println!("stuck got a value");
}

async fn job() {
    println!("job");
}

fn main() {
    oracle::run(async {
        let (_tx, rx) = mpsc::unbounded_channel::<i64>();
        let t = tokio::spawn(stuck(rx));
        tokio::time::sleep(Duration::from_millis(10)).await;
        t.abort();
        tokio::spawn(job());
        println!("main aborted stuck");
        match t.await {
            Ok(()) => println!("main: stuck finished"),
            Err(_) => println!("main: stuck aborted"),
        }
    });
}
