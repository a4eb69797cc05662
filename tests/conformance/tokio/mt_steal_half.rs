// Two workers: the idle worker steals half of the busy worker's queue (3 of 5), runs the last stolen first, then steals again; the LIFO task waits for main.
use std::time::Duration;

async fn hog() {
    oracle::work(30);
}

async fn job(n: i64) {
    println!("job {}", n);
}

fn main() {
    oracle::run(async {
        tokio::spawn(hog());
        tokio::spawn(job(0));
        tokio::time::sleep(Duration::from_millis(5)).await;
        for n in 1..=6 {
            tokio::spawn(job(n));
        }
        oracle::work(60);
        println!("main done working");
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
