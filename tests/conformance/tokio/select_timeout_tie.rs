// timeout(20 ms) around a 20 ms sleep created just before it: both expire together, and the wrapped future, polled first, wins.
use std::time::Duration;

async fn nap(ms: u64) -> &'static str {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    "nap done"
}

fn main() {
    oracle::run(async {
        for _ in 0..3 {
            match tokio::time::timeout(Duration::from_millis(20), nap(20)).await {
                Ok(v) => println!("in time: {}", v),
                Err(_) => println!("timeout"),
            }
        }
    });
}
