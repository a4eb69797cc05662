// Closing a channel wakes its waiting receiver into the LIFO slot, ahead of the jobs spawned just before.
use std::time::Duration;
use tokio::sync::mpsc;

async fn receiver(mut rx: mpsc::UnboundedReceiver<i64>) {
    if rx.recv().await.is_none() {
        println!("receiver sees the channel closed");
    }
}

async fn job(n: i64) {
    println!("job {}", n);
}

fn main() {
    oracle::run(async {
        let (tx, rx) = mpsc::unbounded_channel::<i64>();
        tokio::spawn(receiver(rx));
        tokio::time::sleep(Duration::from_millis(10)).await;
        tokio::spawn(job(1));
        tokio::spawn(job(2));
        drop(tx);
        println!("main closed the channel");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
