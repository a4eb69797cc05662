// Bounded channel of 1: a recv frees a permit for the waiting sender, but the sender puts its value in only when it runs, so the receiver waits for it.
use tokio::sync::mpsc;

async fn sender(tx: mpsc::Sender<i64>) {
    for i in 1..=3 {
        tx.send(i).await.unwrap();
        println!("sent {}", i);
    }
}

fn main() {
    oracle::run(async {
        let (tx, mut rx) = mpsc::channel(1);
        let s = tokio::spawn(sender(tx));
        for _ in 1..=3 {
            let v = rx.recv().await.unwrap();
            println!("recv {}", v);
        }
        s.await.unwrap();
        println!("main done");
    });
}
