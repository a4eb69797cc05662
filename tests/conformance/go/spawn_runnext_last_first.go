// Goroutines started by main: the last one runs first (runnext), then the others in order.
package main

import "time"

func job(name string) { say("job", name) }

func main() {
	defer flush()
	go job("a")
	go job("b")
	go job("c")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
