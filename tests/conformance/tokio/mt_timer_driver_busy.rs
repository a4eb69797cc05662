// Two workers: main is woken by its timer on the worker that holds the timer driver and then burns 60 ms; the other worker sleeps without the driver, so a 30 ms timer waits for main.
use std::time::Duration;

async fn sleeper() {
    tokio::time::sleep(Duration::from_millis(30)).await;
    println!("timer 30ms");
}

fn main() {
    oracle::run(async {
        tokio::spawn(sleeper());
        tokio::time::sleep(Duration::from_millis(10)).await;
        oracle::work(60);
        println!("main done working");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
