// Aborting a sleeping task cancels it at its await: its end never prints and awaiting it reports the cancellation.
use std::time::Duration;

async fn sleeper() {
    println!("sleeper starts");
    tokio::time::sleep(Duration::from_millis(50)).await;
    println!("sleeper ends");
}

fn main() {
    oracle::run(async {
        let t = tokio::spawn(sleeper());
        tokio::time::sleep(Duration::from_millis(10)).await;
        t.abort();
        println!("main aborted the sleeper");
        match t.await {
            Ok(()) => println!("sleeper finished"),
            Err(e) if e.is_cancelled() => println!("awaiting it: aborted"),
            Err(_) => println!("awaiting it: failed"),
        }
        tokio::time::sleep(Duration::from_millis(60)).await;
        println!("main done");
    });
}
