// Each send on a bounded channel with room acquires a permit and costs budget: a task sending 200 values into a channel of 1000 yields after 128.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;

static SENT: AtomicUsize = AtomicUsize::new(0);

async fn sender(tx: mpsc::Sender<i64>) {
    for i in 0..200 {
        tx.send(i).await.unwrap();
        SENT.fetch_add(1, Ordering::SeqCst);
    }
    println!("sender done {}", SENT.load(Ordering::SeqCst));
}

async fn other() {
    println!("other ran after {}", SENT.load(Ordering::SeqCst));
}

fn main() {
    oracle::run(async {
        let (tx, _rx) = mpsc::channel(1000);
        tokio::spawn(other());
        tokio::spawn(sender(tx));
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
