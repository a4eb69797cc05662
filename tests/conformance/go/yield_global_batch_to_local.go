// With its local queue empty a P takes a batch from the global queue into the local queue: goroutines started later queue behind the whole batch.
package main

import (
	"runtime"
	"time"
)

func job(name string) { say("job", name) }

func task(name string) {
	say(name, "before Gosched")
	runtime.Gosched()
	say(name, "after Gosched")
	if name == "c" {
		go job("d")
		go job("e")
	}
}

func main() {
	defer flush()
	go task("a")
	go task("b")
	go task("c")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
