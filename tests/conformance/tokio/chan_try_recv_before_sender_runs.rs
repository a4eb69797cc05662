// A recv on a full bounded channel hands the freed permit to the waiting sender, but its value is not in the channel until it runs: try_recv right after finds nothing.
use std::time::Duration;
use tokio::sync::mpsc;

async fn sender(tx: mpsc::Sender<i64>) {
    tx.send(2).await.unwrap();
    println!("sender put 2 in");
}

fn main() {
    oracle::run(async {
        let (tx, mut rx) = mpsc::channel(1);
        tx.send(1).await.unwrap();
        tokio::spawn(sender(tx.clone()));
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("recv {}", rx.recv().await.unwrap());
        match rx.try_recv() {
            Ok(v) => println!("try_recv got {}", v),
            Err(_) => println!("try_recv found nothing"),
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        match rx.try_recv() {
            Ok(v) => println!("try_recv got {}", v),
            Err(_) => println!("try_recv found nothing"),
        }
    });
}
