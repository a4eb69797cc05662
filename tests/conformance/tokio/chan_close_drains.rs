// Closing a channel with a waiting receiver: it first drains the buffered values, then gets nothing (None / nil).
use tokio::sync::mpsc;

async fn receiver(mut rx: mpsc::UnboundedReceiver<i64>) {
    while let Some(v) = rx.recv().await {
        println!("recv {}", v);
    }
    println!("receiver sees the channel closed");
}

fn main() {
    oracle::run(async {
        let (tx, rx) = mpsc::unbounded_channel();
        let r = tokio::spawn(receiver(rx));
        tokio::task::yield_now().await;
        tx.send(1).unwrap();
        tx.send(2).unwrap();
        drop(tx);
        println!("main closed the channel");
        r.await.unwrap();
        println!("main done");
    });
}
