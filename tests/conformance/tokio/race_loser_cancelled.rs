// race polls both futures in list order, so both start; the slower one is dropped when the faster finishes and never prints its end.
use std::time::Duration;

async fn slow() -> &'static str {
    println!("slow starts");
    tokio::time::sleep(Duration::from_millis(30)).await;
    println!("slow ends");
    "slow"
}

async fn fast() -> &'static str {
    println!("fast starts");
    tokio::time::sleep(Duration::from_millis(10)).await;
    println!("fast ends");
    "fast"
}

fn main() {
    oracle::run(async {
        let v = tokio::select! {
            biased;
            v = slow() => v,
            v = fast() => v,
        };
        println!("race won by {}", v);
        tokio::time::sleep(Duration::from_millis(40)).await;
        println!("main done");
    });
}
