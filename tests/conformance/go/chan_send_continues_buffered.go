// Buffered channel with a waiting receiver: the send hands the value straight to it (the buffer stays empty) and the sender keeps running.
package main

import "time"

func receiver(ch chan int) {
	v := <-ch
	say("receiver got", v)
}

func main() {
	defer flush()
	ch := make(chan int, 3)
	go receiver(ch)
	time.Sleep(1 * time.Millisecond)
	ch <- 7
	say("main sent 7, values in the buffer:", len(ch))
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
