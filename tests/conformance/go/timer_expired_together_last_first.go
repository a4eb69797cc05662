// Three timers expired together are run in deadline order, each wake taking runnext and pushing the previous one to the queue tail: the latest runs first, then the others in deadline order.
package main

import (
	"runtime"
	"time"
)

func sleeper(ms int, done chan int) {
	time.Sleep(time.Duration(ms) * time.Millisecond)
	say("slept", ms, "ms")
	done <- 1
}

func main() {
	defer flush()
	done := make(chan int)
	go sleeper(1, done)
	go sleeper(2, done)
	go sleeper(3, done)
	runtime.Gosched()
	work(8)
	say("main worked 8 ms")
	for i := 0; i < 3; i++ {
		<-done
	}
	say("main done")
}
