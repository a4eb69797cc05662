// Blocked senders are served in the order they blocked; each receive readies the next sender into runnext, so they resume last-readied first.
package main

import (
	"strconv"
	"time"
)

func sender(name string, v int, ch chan int) {
	ch <- v
	say(name, "resumed")
}

func main() {
	defer flush()
	ch := make(chan int, 1)
	ch <- 0
	for i := 1; i <= 3; i++ {
		go sender("sender "+strconv.Itoa(i), i, ch)
		time.Sleep(1 * time.Millisecond)
	}
	for i := 0; i < 4; i++ {
		say("main got", <-ch)
	}
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
