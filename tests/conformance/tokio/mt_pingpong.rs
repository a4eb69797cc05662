// Two workers: a ping-pong over two channels prints in one fixed order whichever workers the two tasks run on.
use tokio::sync::mpsc;

async fn pong(mut from_ping: mpsc::UnboundedReceiver<i64>, to_ping: mpsc::UnboundedSender<i64>) {
    while let Some(v) = from_ping.recv().await {
        println!("pong {}", v);
        to_ping.send(v + 1).unwrap();
    }
    println!("pong sees the end");
}

fn main() {
    oracle::run(async {
        let (to_pong, from_ping) = mpsc::unbounded_channel();
        let (to_ping, mut from_pong) = mpsc::unbounded_channel();
        let p = tokio::spawn(pong(from_ping, to_ping));
        let mut v = 1;
        for _ in 0..4 {
            to_pong.send(v).unwrap();
            v = from_pong.recv().await.unwrap();
            println!("ping {}", v);
            v += 1;
        }
        drop(to_pong);
        p.await.unwrap();
        println!("main done");
    });
}
