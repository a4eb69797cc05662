// A goroutine busy for 80 ms is preempted every 10-20 ms, not only when its work ends: main's 5 ms sleep and then the 20 ms sleeper each end in the middle of the work.
package main

import (
	"runtime"
	"time"
)

func sleeper(done chan int) {
	time.Sleep(20 * time.Millisecond)
	say("sleeper woke")
	done <- 1
}

func spinner(done chan int) {
	work(80)
	say("spinner done")
	done <- 1
}

func main() {
	defer flush()
	done := make(chan int)
	go sleeper(done)
	runtime.Gosched()
	go spinner(done)
	time.Sleep(5 * time.Millisecond)
	say("main woke")
	<-done
	<-done
	say("main done")
}
