// Two tasks sleeping 20 ms and 50 ms in loops interleave by deadline.
use std::time::Duration;

async fn ticker(name: &'static str, ms: u64, times: i64) {
    for i in 1..=times {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        println!("{} tick {}", name, i);
    }
}

fn main() {
    oracle::run(async {
        let fast = tokio::spawn(ticker("fast", 20, 4));
        let slow = tokio::spawn(ticker("slow", 50, 2));
        fast.await.unwrap();
        slow.await.unwrap();
        println!("main done");
    });
}
