// The receiver closes the channel right after its recv handed the freed permit to a waiting sender: the sender, not yet run, still fails, and nothing more arrives.
use std::time::Duration;
use tokio::sync::mpsc;

async fn sender(tx: mpsc::Sender<i64>) {
    match tx.send(2).await {
        Ok(()) => println!("sent 2"),
        Err(_) => println!("send 2 failed: closed"),
    }
}

fn main() {
    oracle::run(async {
        let (tx, mut rx) = mpsc::channel(1);
        tx.send(1).await.unwrap();
        tokio::spawn(sender(tx.clone()));
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("recv {}", rx.recv().await.unwrap());
        rx.close();
        println!("main closed the channel");
        tokio::time::sleep(Duration::from_millis(10)).await;
        while let Some(v) = rx.recv().await {
            println!("recv {}", v);
        }
        println!("recv sees the end");
    });
}
