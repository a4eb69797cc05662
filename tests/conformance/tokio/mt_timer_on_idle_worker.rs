// Two workers: a task stolen by the idle worker sleeps 20 ms; its timer fires on that worker while main is still busy in a 60 ms CPU burn.
use std::time::Duration;

async fn sleeper() {
    tokio::time::sleep(Duration::from_millis(20)).await;
    println!("timer 20ms");
}

async fn job() {
    println!("job runs");
}

fn main() {
    oracle::run(async {
        tokio::spawn(sleeper());
        tokio::spawn(job());
        oracle::work(60);
        println!("main done working");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
