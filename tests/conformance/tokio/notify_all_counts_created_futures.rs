// notify_waiters (.coro notify_all) also completes a notified() future created before the call but not yet awaited.
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

fn main() {
    oracle::run(async {
        let n = Arc::new(Notify::new());
        let f = n.notified();
        n.notify_waiters();
        println!("main notified all");
        match tokio::time::timeout(Duration::from_millis(50), f).await {
            Ok(()) => println!("the earlier notified() completed"),
            Err(_) => println!("the earlier notified() timed out"),
        }
    });
}
