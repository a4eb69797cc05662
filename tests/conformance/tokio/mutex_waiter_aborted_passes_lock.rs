// The lock is handed to the first waiter at unlock; if that waiter is aborted before it runs, the lock passes on to the next waiter.
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

async fn contender(m: Arc<Mutex<()>>, name: &'static str) {
    let _guard = m.lock().await;
    println!("{} got the lock", name);
}

fn main() {
    oracle::run(async {
        let m = Arc::new(Mutex::new(()));
        let guard = m.lock().await;
        let a = tokio::spawn(contender(m.clone(), "a"));
        tokio::time::sleep(Duration::from_millis(10)).await;
        tokio::spawn(contender(m.clone(), "b"));
        tokio::time::sleep(Duration::from_millis(10)).await;
        drop(guard);
        a.abort();
        println!("main unlocked and aborted a");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
