// The same with the busy loop written out (it reads the clock until 80 ms have passed): main's 5 ms sleep and then the 20 ms sleeper each end in the middle of the loop.
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
	t0 := time.Now()
	for time.Since(t0) < 80*time.Millisecond {
	}
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
