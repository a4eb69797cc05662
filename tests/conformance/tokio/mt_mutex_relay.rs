// Two workers: three tasks queue on a tokio Mutex 5 ms apart and hold it for 30 ms each; the fair hand-over fixes the order whichever worker runs them.
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

async fn holder(m: Arc<Mutex<()>>, id: i64) {
    println!("holder {} waits", id);
    let guard = m.lock().await;
    println!("holder {} has the lock", id);
    tokio::time::sleep(Duration::from_millis(30)).await;
    drop(guard);
}

fn main() {
    oracle::run(async {
        let m = Arc::new(Mutex::new(()));
        let mut handles = Vec::new();
        for id in 1..=3 {
            handles.push(tokio::spawn(holder(m.clone(), id)));
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        for h in handles {
            h.await.unwrap();
        }
        println!("main done");
    });
}
