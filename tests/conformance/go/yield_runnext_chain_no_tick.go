// Goroutines taken from runnext inherit the time slice and do not advance schedtick, so a chain of 100 goroutines each starting the next never reaches the every-61 global-queue check.
package main

import "runtime"

var ran = 0

func link(n int) {
	ran++
	if n > 1 {
		go link(n - 1)
	}
}

func main() {
	defer flush()
	runtime.Gosched()
	go link(100)
	runtime.Gosched()
	say("main resumed after", ran, "goroutines ran")
}
