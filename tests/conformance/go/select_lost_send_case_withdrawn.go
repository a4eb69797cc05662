// A select blocked on a send case and a receive case, woken by the receive, withdraws its send: a later receive on that channel finds no sender.
package main

import "time"

func chooser(a, b chan int) {
	select {
	case a <- 1:
		say("chooser sent on a")
	case v := <-b:
		say("chooser got b", v)
	}
}

func main() {
	defer flush()
	a, b := make(chan int), make(chan int)
	go chooser(a, b)
	time.Sleep(1 * time.Millisecond)
	b <- 5
	select {
	case v := <-a:
		say("main got a", v)
	default:
		say("main: nothing on a")
	}
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
