// The LIFO task after a poll runs on what is left of that poll's budget: after its parent took 100 values, the child gets 28 before it must yield.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;

static CHILD_GOT: AtomicUsize = AtomicUsize::new(0);

async fn job() {
    println!("job sees child got {}", CHILD_GOT.load(Ordering::SeqCst));
}

async fn child(mut rx: mpsc::UnboundedReceiver<i64>) {
    for _ in 0..100 {
        rx.recv().await.unwrap();
        CHILD_GOT.fetch_add(1, Ordering::SeqCst);
    }
    println!("child got {}", CHILD_GOT.load(Ordering::SeqCst));
}

async fn parent(mut rx: mpsc::UnboundedReceiver<i64>, child_rx: mpsc::UnboundedReceiver<i64>) {
    for _ in 0..100 {
        rx.recv().await.unwrap();
    }
    println!("parent got 100");
    tokio::spawn(child(child_rx));
}

fn main() {
    oracle::run(async {
        let (tx, rx) = mpsc::unbounded_channel();
        let (child_tx, child_rx) = mpsc::unbounded_channel();
        for i in 0..100 {
            tx.send(i).unwrap();
            child_tx.send(i).unwrap();
        }
        tokio::spawn(job());
        tokio::spawn(parent(rx, child_rx));
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
