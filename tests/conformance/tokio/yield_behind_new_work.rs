// A yielded task waits until the worker has nothing else to do: jobs spawned after it yielded, and their children, all run first.
use std::time::Duration;

async fn grandchild(n: i64) {
    println!("grandchild {}", n);
}

async fn job(n: i64) {
    println!("job {}", n);
    tokio::spawn(grandchild(n));
}

async fn yielder() {
    println!("yielder before yield");
    tokio::task::yield_now().await;
    println!("yielder after yield");
}

async fn spawner() {
    tokio::spawn(job(1));
    tokio::spawn(job(2));
}

fn main() {
    oracle::run(async {
        tokio::spawn(spawner());
        tokio::spawn(yielder());
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
