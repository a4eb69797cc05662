// A task draining 300 ready values from an unbounded channel spends its budget of 128 and is sent to the back of the queue, letting another task print.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;

static RECEIVED: AtomicUsize = AtomicUsize::new(0);

async fn drainer(mut rx: mpsc::UnboundedReceiver<i64>) {
    for _ in 0..300 {
        rx.recv().await.unwrap();
        RECEIVED.fetch_add(1, Ordering::SeqCst);
    }
    println!("drained {}", RECEIVED.load(Ordering::SeqCst));
}

async fn other() {
    println!("other ran after {}", RECEIVED.load(Ordering::SeqCst));
}

fn main() {
    oracle::run(async {
        let (tx, rx) = mpsc::unbounded_channel();
        for i in 0..300 {
            tx.send(i).unwrap();
        }
        tokio::spawn(other());
        tokio::spawn(drainer(rx));
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
