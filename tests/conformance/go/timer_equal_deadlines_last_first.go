// Two equal sleeps that expired while main was busy are run by one checkTimers: each wake takes runnext, so the one readied last runs first.
package main

import (
	"runtime"
	"time"
)

func sleeper(name string, done chan int) {
	time.Sleep(2 * time.Millisecond)
	say(name, "woke")
	done <- 1
}

func main() {
	defer flush()
	done := make(chan int)
	go sleeper("a", done)
	go sleeper("b", done)
	runtime.Gosched()
	work(8)
	say("main worked 8 ms")
	<-done
	<-done
	say("main done")
}
