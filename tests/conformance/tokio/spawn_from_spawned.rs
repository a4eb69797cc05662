// A task run from the LIFO slot spawns two children: the last child takes the slot and runs before the older queued task.
use std::time::Duration;

async fn child(n: i64) {
    println!("child {}", n);
}

async fn parent() {
    tokio::spawn(child(1));
    tokio::spawn(child(2));
    println!("parent done");
}

async fn sibling() {
    println!("sibling");
}

fn main() {
    oracle::run(async {
        tokio::spawn(sibling());
        tokio::spawn(parent());
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("main done");
    });
}
