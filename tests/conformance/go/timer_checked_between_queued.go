// Timers are checked at every scheduling decision, not only when the P is idle: a sleeper whose timer expires while a queued goroutine works runs before the rest of the queue.
package main

import (
	"runtime"
	"time"
)

func job(name string, ms int) {
	say("job", name)
	work(ms)
}

func sleeper() {
	time.Sleep(3 * time.Millisecond)
	say("sleeper woke")
}

func main() {
	defer flush()
	go sleeper()
	runtime.Gosched()
	go job("a", 6)
	go job("b", 0)
	go job("c", 0)
	time.Sleep(20 * time.Millisecond)
	say("main done")
}
