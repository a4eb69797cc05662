// select on a channel that gets a value after 5 ms and time.After(30 ms): the value wins, and the sender keeps running before the woken select goroutine.
package main

import "time"

func sender(ch chan int) {
	time.Sleep(5 * time.Millisecond)
	ch <- 1
	say("sender resumed")
}

func main() {
	defer flush()
	ch := make(chan int)
	go sender(ch)
	select {
	case v := <-ch:
		say("got", v)
	case <-time.After(30 * time.Millisecond):
		say("timed out")
	}
	time.Sleep(40 * time.Millisecond)
	say("main done")
}
