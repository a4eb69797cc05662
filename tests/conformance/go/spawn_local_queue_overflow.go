// A full local queue (256) overflows to the global queue: the older half and the goroutine being queued move there and run after the newer ones.
package main

import (
	"runtime"
	"time"
)

var order []int

func job(i int) { order = append(order, i) }

func main() {
	defer flush()
	runtime.Gosched()
	for i := 0; i < 258; i++ {
		go job(i)
	}
	time.Sleep(10 * time.Millisecond)
	say("jobs run:", len(order))
	say("first", order[0], "then", order[1], order[2])
	say("last", order[len(order)-1])
}
