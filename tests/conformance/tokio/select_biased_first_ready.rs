// select polls its futures in list order (biased): when both channels hold a value the first wins, and the loser's value stays in its channel.
use tokio::sync::mpsc;

fn main() {
    oracle::run(async {
        let (tx_a, mut a) = mpsc::unbounded_channel();
        let (tx_b, mut b) = mpsc::unbounded_channel();
        tx_a.send("a1").unwrap();
        tx_b.send("b1").unwrap();
        tx_b.send("b2").unwrap();
        for _ in 0..3 {
            let (i, v) = tokio::select! {
                biased;
                v = a.recv() => (0, v.unwrap()),
                v = b.recv() => (1, v.unwrap()),
            };
            println!("select got {} {}", i, v);
        }
    });
}
