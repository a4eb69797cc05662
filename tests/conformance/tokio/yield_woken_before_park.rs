// A yielded task is idle, not queued: a channel send wakes it into the LIFO slot at once, ahead of a queued job, instead of it waiting for the worker to park.
use std::time::Duration;
use tokio::sync::mpsc;

async fn waiter(mut rx: mpsc::UnboundedReceiver<i64>) {
    println!("waiter yields and waits");
    let (_, v) = tokio::join!(tokio::task::yield_now(), rx.recv());
    println!("waiter done {}", v.unwrap());
}

async fn sender(tx: mpsc::UnboundedSender<i64>) {
    tx.send(1).unwrap();
    println!("sender sent");
}

async fn job() {
    println!("job");
}

fn main() {
    oracle::run(async {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(sender(tx));
        tokio::spawn(job());
        tokio::spawn(waiter(rx));
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
