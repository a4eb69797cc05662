// A sleep's deadline is fixed when the sleep is created, not when it is first awaited: created, then 30 ms of work, a 20 ms sleep ends before a 40 ms timer started at the same time.
use std::time::Duration;

async fn sleeper() {
    tokio::time::sleep(Duration::from_millis(40)).await;
    println!("timer 40ms");
}

fn main() {
    oracle::run(async {
        tokio::spawn(sleeper());
        tokio::task::yield_now().await;
        let s = tokio::time::sleep(Duration::from_millis(20));
        oracle::work(30);
        s.await;
        println!("main's 20ms sleep done");
        tokio::time::sleep(Duration::from_millis(30)).await;
        println!("main done");
    });
}
