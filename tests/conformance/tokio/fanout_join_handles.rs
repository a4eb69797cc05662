// Fan-out of five tasks whose handles are awaited in spawn order: each finished task wakes main before the next queued one runs.
async fn square(n: i64) -> i64 {
    println!("square {}", n);
    n * n
}

fn main() {
    oracle::run(async {
        let mut handles = Vec::new();
        for n in 1..=5 {
            handles.push(tokio::spawn(square(n)));
        }
        let mut sum = 0;
        for h in handles {
            let v = h.await.unwrap();
            println!("got {}", v);
            sum += v;
        }
        println!("sum {}", sum);
    });
}
