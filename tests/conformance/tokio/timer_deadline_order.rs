// Sleeps of 30, 10 and 20 ms started together wake in deadline order, not in the order they were started.
use std::time::Duration;

async fn sleeper(ms: u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    println!("timer {}ms", ms);
}

fn main() {
    oracle::run(async {
        tokio::spawn(sleeper(30));
        tokio::spawn(sleeper(10));
        tokio::spawn(sleeper(20));
        tokio::time::sleep(Duration::from_millis(50)).await;
        println!("main done");
    });
}
