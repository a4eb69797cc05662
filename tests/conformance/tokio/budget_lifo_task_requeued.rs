// A task spends exactly its budget of 128 and ends; the child it spawned into the LIFO slot cannot run on an empty budget and goes behind the queued job.
use std::time::Duration;
use tokio::sync::mpsc;

async fn job() {
    println!("job");
}

async fn child() {
    println!("child");
}

async fn drainer(mut rx: mpsc::UnboundedReceiver<i64>) {
    tokio::spawn(child());
    for _ in 0..128 {
        rx.recv().await.unwrap();
    }
    println!("drainer got 128");
}

fn main() {
    oracle::run(async {
        let (tx, rx) = mpsc::unbounded_channel();
        for i in 0..128 {
            tx.send(i).unwrap();
        }
        tokio::spawn(job());
        tokio::spawn(drainer(rx));
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
