// Awaiting a task that already finished gives its value without waiting, and the task ran even though nobody awaited it yet.
use std::time::Duration;

async fn job() -> i64 {
    println!("job runs");
    42
}

fn main() {
    oracle::run(async {
        let t = tokio::spawn(job());
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main awaits the finished job");
        let v = t.await.unwrap();
        println!("main got {}", v);
    });
}
