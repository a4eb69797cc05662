// Spawning 300 tasks overflows the local queue of 256: half of it (the oldest 128) and the task being pushed go to the inject queue, so job 257 runs last.
use std::sync::Mutex;
use std::time::Duration;

static ORDER: Mutex<Vec<i64>> = Mutex::new(Vec::new());

async fn job(n: i64) {
    ORDER.lock().unwrap().push(n);
}

fn main() {
    oracle::run(async {
        for n in 1..=300 {
            tokio::spawn(job(n));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let order = ORDER.lock().unwrap();
        println!("jobs run {}", order.len());
        println!("first {}", order[0]);
        println!("last {}", order[order.len() - 1]);
    });
}
