// A P takes one goroutine from the global queue when its schedtick is a multiple of 61, even with local work left (after main's first Gosched schedtick is 5).
package main

import (
	"runtime"
	"time"
)

var ran = 0

func job() { ran++ }

func main() {
	defer flush()
	runtime.Gosched()
	for i := 0; i < 100; i++ {
		go job()
	}
	runtime.Gosched()
	say("main resumed after", ran, "goroutines ran")
	time.Sleep(10 * time.Millisecond)
	say("in all", ran, "goroutines ran")
}
