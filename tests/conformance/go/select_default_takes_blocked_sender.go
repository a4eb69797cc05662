// select with default takes a case that is ready because a sender is blocked on an unbuffered channel, and readies that sender.
package main

import "time"

func sender(ch chan int) {
	ch <- 5
	say("sender resumed")
}

func tryReceive(ch chan int) {
	select {
	case v := <-ch:
		say("main got", v)
	default:
		say("nothing ready")
	}
}

func main() {
	defer flush()
	ch := make(chan int)
	tryReceive(ch)
	go sender(ch)
	time.Sleep(1 * time.Millisecond)
	tryReceive(ch)
	say("main continues")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
