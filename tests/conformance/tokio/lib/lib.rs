//! What every Tokio pair shares: the runtime a `.coro` program in profile `tokio` models.
//!
//! `oracle::run(body)` builds `Builder::new_multi_thread()` with the worker count the recorder
//! passes in LOOPSCOPE_WORKERS (the `workers=` of the pair's `.coro` header, default 2) and
//! spawns the body onto a worker, as a `.coro` main is a task. When the body returns, the
//! runtime is dropped and every task still alive is cancelled, as when a `.coro` main ends.
use std::future::Future;

pub fn run<F>(body: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    let workers = std::env::var("LOOPSCOPE_WORKERS")
        .ok()
        .and_then(|w| w.parse::<usize>().ok())
        .unwrap_or(2);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    rt.block_on(async move {
        tokio::spawn(body).await.expect("the body task");
    });
    rt.shutdown_background();
}

/// `.coro`'s `work(ms)`: a synchronous CPU burn; the worker thread is busy and runs nothing else.
pub fn work(ms: u64) {
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_millis(ms) {
        std::hint::spin_loop();
    }
}

/// `.coro`'s `block(ms)`: a synchronous thread sleep (a blocking call inside a task).
pub fn block(ms: u64) {
    std::thread::sleep(std::time::Duration::from_millis(ms));
}
