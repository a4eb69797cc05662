// Three senders wait on a full channel of 1 in the order they ran; each recv hands the freed permit to the oldest, which then sends and wakes the receiver.
use std::time::Duration;
use tokio::sync::mpsc;

async fn sender(tx: mpsc::Sender<i64>, n: i64) {
    tx.send(n).await.unwrap();
    println!("sender {} sent", n);
}

fn main() {
    oracle::run(async {
        let (tx, mut rx) = mpsc::channel(1);
        tx.send(0).await.unwrap();
        tokio::spawn(sender(tx.clone(), 1));
        tokio::spawn(sender(tx.clone(), 2));
        tokio::spawn(sender(tx.clone(), 3));
        tokio::time::sleep(Duration::from_millis(10)).await;
        for _ in 0..4 {
            let v = rx.recv().await.unwrap();
            println!("recv {}", v);
        }
        println!("main done");
    });
}
