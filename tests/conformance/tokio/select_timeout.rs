// timeout gives the value of a future that finishes in time, and an error when the time runs out first (the future is dropped).
use std::time::Duration;

async fn compute(ms: u64, v: i64) -> i64 {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    println!("compute {} finished", v);
    v
}

fn main() {
    oracle::run(async {
        match tokio::time::timeout(Duration::from_millis(50), compute(10, 1)).await {
            Ok(v) => println!("in time {}", v),
            Err(_) => println!("timeout"),
        }
        match tokio::time::timeout(Duration::from_millis(10), compute(50, 2)).await {
            Ok(v) => println!("in time {}", v),
            Err(_) => println!("timeout"),
        }
        tokio::time::sleep(Duration::from_millis(60)).await;
        println!("main done");
    });
}
