// Two timers expire while main burns the only worker; they are fired together when the worker next parks, after the job main spawned, and the later-registered one runs first.
use std::time::Duration;

async fn sleeper(ms: u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    println!("timer {}ms", ms);
}

async fn job() {
    println!("job");
}

fn main() {
    oracle::run(async {
        tokio::spawn(sleeper(10));
        tokio::spawn(sleeper(20));
        tokio::task::yield_now().await;
        println!("main busy");
        oracle::work(50);
        println!("main done working");
        tokio::spawn(job());
        tokio::time::sleep(Duration::from_millis(20)).await;
        println!("main done");
    });
}
