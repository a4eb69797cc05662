// Awaiting spawned tasks one by one: each finished task wakes main through the LIFO slot, ahead of the next queued task.
async fn job(name: &'static str) -> &'static str {
    println!("job {}", name);
    name
}

fn main() {
    oracle::run(async {
        let a = tokio::spawn(job("a"));
        let b = tokio::spawn(job("b"));
        let c = tokio::spawn(job("c"));
        println!("main got {}", a.await.unwrap());
        println!("main got {}", b.await.unwrap());
        println!("main got {}", c.await.unwrap());
    });
}
