// A three-stage pipeline over bounded channels of 1 on one worker: permits and LIFO wake-ups fix how producer, doubler and consumer interleave.
use tokio::sync::mpsc;

async fn producer(tx: mpsc::Sender<i64>) {
    for i in 1..=3 {
        println!("produce {}", i);
        tx.send(i).await.unwrap();
    }
}

async fn doubler(mut rx: mpsc::Receiver<i64>, tx: mpsc::Sender<i64>) {
    for _ in 1..=3 {
        let v = rx.recv().await.unwrap();
        println!("double {}", v);
        tx.send(v * 2).await.unwrap();
    }
}

fn main() {
    oracle::run(async {
        let (tx1, rx1) = mpsc::channel(1);
        let (tx2, mut rx2) = mpsc::channel(1);
        tokio::spawn(producer(tx1));
        tokio::spawn(doubler(rx1, tx2));
        for _ in 1..=3 {
            let v = rx2.recv().await.unwrap();
            println!("consume {}", v);
        }
    });
}
