// Aborting a task that already finished does nothing: awaiting it still gives its value.
use std::time::Duration;

async fn job() -> i64 {
    println!("job runs");
    7
}

fn main() {
    oracle::run(async {
        let t = tokio::spawn(job());
        tokio::time::sleep(Duration::from_millis(10)).await;
        t.abort();
        println!("main aborted the finished job");
        match t.await {
            Ok(v) => println!("main got {}", v),
            Err(_) => println!("aborted"),
        }
    });
}
