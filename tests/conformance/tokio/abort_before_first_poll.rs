// A task aborted before it ever ran never starts; the task spawned after it runs normally.
use std::time::Duration;

async fn job(name: &'static str) {
    println!("{} runs", name);
}

fn main() {
    oracle::run(async {
        let a = tokio::spawn(job("a"));
        let b = tokio::spawn(job("b"));
        a.abort();
        println!("main aborted a");
        tokio::time::sleep(Duration::from_millis(10)).await;
        match a.await {
            Ok(()) => println!("a finished"),
            Err(_) => println!("a was aborted"),
        }
        b.await.unwrap();
        println!("main done");
    });
}
