// A long ping-pong through the LIFO slot shares one budget of 128: when it is spent the chain is cut and the queued job runs in the middle.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;

static ROUNDS: AtomicUsize = AtomicUsize::new(0);

async fn job() {
    println!("job after round {}", ROUNDS.load(Ordering::SeqCst));
}

async fn ping(to_pong: mpsc::UnboundedSender<i64>, mut from_pong: mpsc::UnboundedReceiver<i64>) {
    for i in 1..=200 {
        to_pong.send(i).unwrap();
        from_pong.recv().await.unwrap();
        ROUNDS.store(i as usize, Ordering::SeqCst);
        if i == 1 {
            tokio::spawn(job());
        }
    }
    println!("ping done");
}

async fn pong(mut from_ping: mpsc::UnboundedReceiver<i64>, to_ping: mpsc::UnboundedSender<i64>) {
    for _ in 1..=200 {
        let v = from_ping.recv().await.unwrap();
        to_ping.send(v).unwrap();
    }
    println!("pong done");
}

fn main() {
    oracle::run(async {
        let (to_pong, from_ping) = mpsc::unbounded_channel();
        let (to_ping, from_pong) = mpsc::unbounded_channel();
        tokio::spawn(pong(from_ping, to_ping));
        tokio::spawn(ping(to_pong, from_pong));
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
