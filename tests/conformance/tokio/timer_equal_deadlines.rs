// Three sleeps with the same deadline fire in one pass of the timer driver, in registration order, each woken task taking the LIFO slot: the last registered runs first.
use std::time::Duration;

async fn sleeper(name: &'static str) {
    println!("{} sleeps", name);
    tokio::time::sleep(Duration::from_millis(20)).await;
    println!("{} woke", name);
}

fn main() {
    oracle::run(async {
        tokio::spawn(sleeper("a"));
        tokio::spawn(sleeper("b"));
        tokio::spawn(sleeper("c"));
        tokio::time::sleep(Duration::from_millis(40)).await;
        println!("main done");
    });
}
