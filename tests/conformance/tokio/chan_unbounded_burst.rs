// A sender's first value wakes the waiting receiver into the LIFO slot; a job spawned next takes the slot, and the receiver, woken once, later takes all three values.
use std::time::Duration;
use tokio::sync::mpsc;

async fn receiver(mut rx: mpsc::UnboundedReceiver<i64>) {
    for _ in 1..=3 {
        let v = rx.recv().await.unwrap();
        println!("recv {}", v);
    }
}

async fn job() {
    println!("job");
}

fn main() {
    oracle::run(async {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(receiver(rx));
        tokio::time::sleep(Duration::from_millis(10)).await;
        tx.send(1).unwrap();
        tokio::spawn(job());
        tx.send(2).unwrap();
        tx.send(3).unwrap();
        println!("main sent 3");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
