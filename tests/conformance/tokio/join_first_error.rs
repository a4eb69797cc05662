// tokio::try_join! (.coro all) ends with the first error and drops the other futures: the slow branch never finishes.
use std::time::Duration;

async fn fail_after(ms: u64) -> Result<i64, &'static str> {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    println!("failing after {}ms", ms);
    Err("boom")
}

async fn slow(ms: u64) -> Result<i64, &'static str> {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    println!("slow finished");
    Ok(1)
}

fn main() {
    oracle::run(async {
        match tokio::try_join!(slow(30), fail_after(10)) {
            Ok((a, b)) => println!("results {} {}", a, b),
            Err(e) => println!("all failed: {}", e),
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
        println!("main done");
    });
}
