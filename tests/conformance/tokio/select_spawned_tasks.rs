// select over two JoinHandles: the task that finishes first wins; the other task is not cancelled by the select (dropping a JoinHandle detaches it).
use std::time::Duration;

async fn job(name: &'static str, ms: u64) -> &'static str {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    println!("{} finished", name);
    name
}

fn main() {
    oracle::run(async {
        let slow = tokio::spawn(job("slow", 30));
        let fast = tokio::spawn(job("fast", 10));
        let (i, v) = tokio::select! {
            biased;
            v = slow => (0, v.unwrap()),
            v = fast => (1, v.unwrap()),
        };
        println!("select got {} {}", i, v);
        tokio::time::sleep(Duration::from_millis(40)).await;
        println!("main done");
    });
}
