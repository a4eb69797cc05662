// Fan-out to four workers that take 40, 10, 30 and 20 ms; fan-in through one channel gives their results in the order they finish.
use std::time::Duration;
use tokio::sync::mpsc;

async fn worker(id: i64, ms: u64, tx: mpsc::UnboundedSender<i64>) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    tx.send(id * 100).unwrap();
}

fn main() {
    oracle::run(async {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let delays = [40, 10, 30, 20];
        for (i, ms) in delays.iter().enumerate() {
            tokio::spawn(worker(i as i64 + 1, *ms, tx.clone()));
        }
        for _ in 0..4 {
            let v = rx.recv().await.unwrap();
            println!("result {}", v);
        }
        println!("all workers done");
    });
}
