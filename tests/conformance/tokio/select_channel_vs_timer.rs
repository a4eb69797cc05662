// select between a recv and a sleep: a value sent at 20 ms beats a 50 ms sleep; with nothing more sent the 10 ms sleep wins and the recv is dropped.
use std::time::Duration;
use tokio::sync::mpsc;

async fn late_sender(tx: mpsc::UnboundedSender<&'static str>) {
    tokio::time::sleep(Duration::from_millis(20)).await;
    tx.send("hello").unwrap();
}

async fn timer(ms: u64) -> &'static str {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    "timeout"
}

fn main() {
    oracle::run(async {
        let (tx, mut rx) = mpsc::unbounded_channel();
        tokio::spawn(late_sender(tx.clone()));
        let (i, v) = tokio::select! {
            biased;
            v = rx.recv() => (0, v.unwrap()),
            v = timer(50) => (1, v),
        };
        println!("first select {} {}", i, v);
        let (j, w) = tokio::select! {
            biased;
            v = rx.recv() => (0, v.unwrap()),
            v = timer(10) => (1, v),
        };
        println!("second select {} {}", j, w);
    });
}
