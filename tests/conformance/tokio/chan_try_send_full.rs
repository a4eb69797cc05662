// try_send on a bounded channel of 2 fails while it is full and succeeds again once a recv made room.
use tokio::sync::mpsc;

fn main() {
    oracle::run(async {
        let (tx, mut rx) = mpsc::channel(2);
        for i in 1..=3 {
            if tx.try_send(i).is_ok() {
                println!("try_send {} ok", i);
            } else {
                println!("try_send {} full", i);
            }
        }
        println!("recv {}", rx.recv().await.unwrap());
        if tx.try_send(3).is_ok() {
            println!("try_send 3 ok");
        }
        for _ in 0..2 {
            println!("recv {}", rx.recv().await.unwrap());
        }
    });
}
