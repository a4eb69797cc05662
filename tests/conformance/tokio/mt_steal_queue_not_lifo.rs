// Two workers, main busy in a CPU burn: the idle worker steals the task in main's queue, but not the one in its LIFO slot, which waits for main.
use std::time::Duration;

async fn job(name: &'static str) {
    println!("{} runs", name);
}

fn main() {
    oracle::run(async {
        tokio::spawn(job("queued"));
        tokio::spawn(job("lifo"));
        oracle::work(50);
        println!("main done working");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
