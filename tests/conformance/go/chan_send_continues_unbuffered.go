// A send to a waiting receiver hands the value over and the sender keeps running; the receiver runs when the sender blocks.
package main

import "time"

func receiver(ch chan int) {
	v := <-ch
	say("receiver got", v)
}

func main() {
	defer flush()
	ch := make(chan int)
	go receiver(ch)
	time.Sleep(1 * time.Millisecond)
	ch <- 7
	say("main sent 7")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
