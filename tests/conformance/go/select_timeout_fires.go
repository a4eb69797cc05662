// select on a channel that stays empty and time.After(10 ms): the timeout case wins; the value sent at 30 ms is received afterwards.
package main

import "time"

func lateSender(ch chan int) {
	time.Sleep(30 * time.Millisecond)
	ch <- 1
}

func main() {
	defer flush()
	ch := make(chan int)
	go lateSender(ch)
	select {
	case v := <-ch:
		say("got", v)
	case <-time.After(10 * time.Millisecond):
		say("timed out")
	}
	say("then got", <-ch)
}
