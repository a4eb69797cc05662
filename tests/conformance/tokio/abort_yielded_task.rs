// Aborting a task that yielded schedules its cancellation through the LIFO slot at once, not when the worker next parks: main learns of it between the two jobs.
use std::time::Duration;

async fn spinner() {
    loop {
        tokio::task::yield_now().await;
    }
}

async fn job(n: i64) {
    println!("job {}", n);
}

fn main() {
    oracle::run(async {
        let t = tokio::spawn(spinner());
        tokio::time::sleep(Duration::from_millis(10)).await;
        t.abort();
        tokio::spawn(job(1));
        tokio::spawn(job(2));
        println!("main aborted the spinner");
        match t.await {
            Ok(()) => println!("main: spinner finished"),
            Err(_) => println!("main: spinner aborted"),
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
