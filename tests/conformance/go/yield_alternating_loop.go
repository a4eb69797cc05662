// Two goroutines calling Gosched in a loop take turns.
package main

import (
	"runtime"
	"time"
)

func looper(name string) {
	for i := 1; i <= 3; i++ {
		say(name, i)
		runtime.Gosched()
	}
}

func main() {
	defer flush()
	go looper("a")
	go looper("b")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
