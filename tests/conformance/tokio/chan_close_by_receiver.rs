// The receiver closes a full bounded channel: the sender waiting for room fails, and the receiver still gets the buffered value before the end.
use std::time::Duration;
use tokio::sync::mpsc;

async fn sender(tx: mpsc::Sender<i64>) {
    tx.send(1).await.unwrap();
    println!("sent 1");
    if tx.send(2).await.is_err() {
        println!("send 2 failed: closed");
    }
}

fn main() {
    oracle::run(async {
        let (tx, mut rx) = mpsc::channel(1);
        tokio::spawn(sender(tx));
        tokio::time::sleep(Duration::from_millis(10)).await;
        rx.close();
        println!("main closed the channel");
        while let Some(v) = rx.recv().await {
            println!("recv {}", v);
        }
        println!("recv sees the end");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
