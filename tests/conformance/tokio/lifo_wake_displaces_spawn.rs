// A task woken by a channel send takes the LIFO slot; the job spawned just before it moves to the back of the queue.
use std::time::Duration;
use tokio::sync::mpsc;

async fn receiver(mut rx: mpsc::UnboundedReceiver<i64>) {
    let v = rx.recv().await.unwrap();
    println!("recv {}", v);
}

async fn job(n: i64) {
    println!("job {}", n);
}

fn main() {
    oracle::run(async {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(receiver(rx));
        tokio::time::sleep(Duration::from_millis(10)).await;
        tokio::spawn(job(1));
        tokio::spawn(job(2));
        tx.send(1).unwrap();
        println!("main sent");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
