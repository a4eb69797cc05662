// Two workers: three producers that sleep 30, 10 and 20 ms send to one channel; the receiver gets them in deadline order.
use std::time::Duration;
use tokio::sync::mpsc;

async fn producer(id: i64, ms: u64, tx: mpsc::UnboundedSender<i64>) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    tx.send(id).unwrap();
}

fn main() {
    oracle::run(async {
        let (tx, mut rx) = mpsc::unbounded_channel();
        tokio::spawn(producer(1, 30, tx.clone()));
        tokio::spawn(producer(2, 10, tx.clone()));
        tokio::spawn(producer(3, 20, tx.clone()));
        for _ in 0..3 {
            let id = rx.recv().await.unwrap();
            println!("got from producer {}", id);
        }
    });
}
