// Two tasks ping-ponging through channels keep the LIFO slot for the whole exchange: Tokio 1.24 does not cap LIFO polls in a row, so a queued job waits.
use std::time::Duration;
use tokio::sync::mpsc;

async fn job() {
    println!("job");
}

async fn ping(to_pong: mpsc::UnboundedSender<i64>, mut from_pong: mpsc::UnboundedReceiver<i64>) {
    for i in 1..=5 {
        to_pong.send(i).unwrap();
        let r = from_pong.recv().await.unwrap();
        println!("ping got {}", r);
        if i == 1 {
            tokio::spawn(job());
        }
    }
}

async fn pong(mut from_ping: mpsc::UnboundedReceiver<i64>, to_ping: mpsc::UnboundedSender<i64>) {
    for _ in 1..=5 {
        let v = from_ping.recv().await.unwrap();
        println!("pong got {}", v);
        to_ping.send(v).unwrap();
    }
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
