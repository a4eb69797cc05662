// A goroutine busy for 50 ms is preempted after about 10 ms, so main, whose 5 ms sleep has expired, runs before the busy goroutine finishes.
package main

import "time"

func spinner(done chan int) {
	work(50)
	say("spinner done")
	done <- 1
}

func main() {
	defer flush()
	done := make(chan int)
	go spinner(done)
	time.Sleep(5 * time.Millisecond)
	say("main woke")
	<-done
	say("main done")
}
