// Values sent before close are all delivered: the first goes straight to the waiting receiver, the next waits in the buffer, then the receiver sees the close.
package main

import "time"

func reader(ch chan int) {
	for {
		v, ok := <-ch
		if !ok {
			say("reader saw close")
			return
		}
		say("reader got", v)
	}
}

func main() {
	defer flush()
	ch := make(chan int, 3)
	go reader(ch)
	time.Sleep(1 * time.Millisecond)
	ch <- 1
	ch <- 2
	close(ch)
	say("main closed, values in the buffer:", len(ch))
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
