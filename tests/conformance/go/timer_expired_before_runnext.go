// findRunnable runs expired timers before it takes runnext: a sleeper whose timer expired displaces the goroutine main has just started.
package main

import (
	"runtime"
	"time"
)

func job(name string) { say("job", name) }

func sleeper() {
	time.Sleep(2 * time.Millisecond)
	say("sleeper woke")
}

func main() {
	defer flush()
	go sleeper()
	runtime.Gosched()
	work(5)
	go job("started after the timer expired")
	say("main sleeps")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
