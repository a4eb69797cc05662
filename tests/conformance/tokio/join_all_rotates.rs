// tokio::join! (.coro all) polls all its unfinished futures at each wake-up, starting one further along the list each time (a, then b, then c first).
async fn stepper(name: &'static str) {
    for i in 1..=3 {
        println!("{} step {}", name, i);
        tokio::task::yield_now().await;
    }
}

fn main() {
    oracle::run(async {
        tokio::join!(stepper("a"), stepper("b"), stepper("c"));
        println!("main done");
    });
}
