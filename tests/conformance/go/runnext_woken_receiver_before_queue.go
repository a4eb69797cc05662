// A receiver woken by a send takes runnext: it runs before the goroutines already queued, and the goroutine it displaces from runnext goes to the tail.
package main

import "time"

func job(name string) { say("job", name) }

func receiver(ch chan int) {
	v := <-ch
	say("receiver got", v)
}

func main() {
	defer flush()
	ch := make(chan int)
	go receiver(ch)
	time.Sleep(1 * time.Millisecond)
	go job("x")
	go job("y")
	go job("z")
	ch <- 1
	say("main sent")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
