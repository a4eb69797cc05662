// A goroutine blocked in select and woken by one case no longer waits on the others: a send on another case's channel blocks until it receives again.
package main

import "time"

func watcher(a, b chan int) {
	select {
	case v := <-a:
		say("watcher got a", v)
	case v := <-b:
		say("watcher got b", v)
	}
	v := <-a
	say("watcher then got a", v)
}

func main() {
	defer flush()
	a, b := make(chan int), make(chan int)
	go watcher(a, b)
	time.Sleep(1 * time.Millisecond)
	b <- 1
	say("main sent on b")
	a <- 2
	say("main sent on a")
}
