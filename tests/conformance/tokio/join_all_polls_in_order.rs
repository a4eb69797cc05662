// tokio::join! (.coro all) runs its futures inside one task: all start in list order, finish by deadline, and the results come back in list order.
use std::time::Duration;

async fn step(name: &'static str, ms: u64) -> &'static str {
    println!("{} starts", name);
    tokio::time::sleep(Duration::from_millis(ms)).await;
    println!("{} ends", name);
    name
}

fn main() {
    oracle::run(async {
        let (x, y, z) = tokio::join!(step("a", 30), step("b", 10), step("c", 20));
        println!("results {} {} {}", x, y, z);
    });
}
