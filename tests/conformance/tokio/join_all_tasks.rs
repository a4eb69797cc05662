// Joining spawned tasks with tokio::join! (.coro all): the tasks run on their own, the results come back in list order.
use std::time::Duration;

async fn job(n: i64, ms: u64) -> i64 {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    println!("job {} done", n);
    n * 10
}

fn main() {
    oracle::run(async {
        let t1 = tokio::spawn(job(1, 20));
        let t2 = tokio::spawn(job(2, 10));
        let (r1, r2) = tokio::join!(t1, t2);
        println!("results {} {}", r1.unwrap(), r2.unwrap());
    });
}
