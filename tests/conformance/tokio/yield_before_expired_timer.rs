// A timer that expired while main was busy and main's yield are both handled when the worker parks: the deferred main is woken last, takes the LIFO slot and runs before the timer task.
use std::time::Duration;

async fn sleeper() {
    tokio::time::sleep(Duration::from_millis(10)).await;
    println!("timer 10ms");
}

fn main() {
    oracle::run(async {
        tokio::spawn(sleeper());
        tokio::task::yield_now().await;
        println!("main busy");
        oracle::work(40);
        tokio::task::yield_now().await;
        println!("main after yield");
        tokio::time::sleep(Duration::from_millis(20)).await;
        println!("main done");
    });
}
