// Two workers: a yielded task waits in its worker's deferred list, which no other worker can steal from; it resumes only when its worker is free again.
use std::time::Duration;

async fn hog() {
    oracle::work(50);
    println!("hog done");
}

async fn yielder() {
    println!("yielder before yield");
    tokio::spawn(hog());
    tokio::task::yield_now().await;
    println!("yielder after yield");
}

fn main() {
    oracle::run(async {
        tokio::spawn(yielder());
        tokio::time::sleep(Duration::from_millis(100)).await;
        println!("main done");
    });
}
