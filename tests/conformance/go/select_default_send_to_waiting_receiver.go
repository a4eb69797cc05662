// select with a send case and default on an unbuffered channel: it sends only when a receiver is waiting, readies it, and the sender keeps running.
package main

import "time"

func receiver(ch chan int) {
	say("receiver got", <-ch)
}

func trySend(ch chan int, v int) {
	select {
	case ch <- v:
		say("main sent", v)
	default:
		say("main: no receiver for", v)
	}
}

func main() {
	defer flush()
	ch := make(chan int)
	trySend(ch, 1)
	go receiver(ch)
	time.Sleep(1 * time.Millisecond)
	trySend(ch, 2)
	say("main continues")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
