// Tasks spawned by a task: the last one runs first (the LIFO slot), then the others in order.
use std::time::Duration;

async fn job(name: &'static str) {
    println!("job {}", name);
}

fn main() {
    oracle::run(async {
        tokio::spawn(job("a"));
        tokio::spawn(job("b"));
        tokio::spawn(job("c"));
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
