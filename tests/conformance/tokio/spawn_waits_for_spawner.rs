// A spawned task does not start while its spawner keeps the worker busy; it runs once the spawner suspends.
use std::time::Duration;

async fn job() {
    println!("job runs");
}

fn main() {
    oracle::run(async {
        tokio::spawn(job());
        println!("main spawned");
        oracle::work(20);
        println!("main worked 20ms");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
