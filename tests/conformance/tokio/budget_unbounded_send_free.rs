// Sending on an unbounded channel never waits and costs no budget: a task sending 300 values runs to the end before another task gets the worker.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;

static SENT: AtomicUsize = AtomicUsize::new(0);

async fn sender(tx: mpsc::UnboundedSender<i64>) {
    for i in 0..300 {
        tx.send(i).unwrap();
        SENT.fetch_add(1, Ordering::SeqCst);
    }
    println!("sender done {}", SENT.load(Ordering::SeqCst));
}

async fn other() {
    println!("other ran after {}", SENT.load(Ordering::SeqCst));
}

fn main() {
    oracle::run(async {
        let (tx, _rx) = mpsc::unbounded_channel();
        tokio::spawn(other());
        tokio::spawn(sender(tx));
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
