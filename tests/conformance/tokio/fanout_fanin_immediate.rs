// Fan-in without waiting: four producers send to one channel as soon as they run, so the values arrive in run order (the last spawned first, from the LIFO slot).
use tokio::sync::mpsc;

async fn producer(id: i64, tx: mpsc::UnboundedSender<i64>) {
    tx.send(id).unwrap();
}

fn main() {
    oracle::run(async {
        let (tx, mut rx) = mpsc::unbounded_channel();
        for id in 1..=4 {
            tokio::spawn(producer(id, tx.clone()));
        }
        for _ in 1..=4 {
            let id = rx.recv().await.unwrap();
            println!("got from producer {}", id);
        }
    });
}
