// A goroutine started after a send displaces the woken receiver from runnext, so it runs first.
package main

import "time"

func job(name string) { say("job", name) }

func receiver(ch chan int) {
	v := <-ch
	say("receiver got", v)
}

func main() {
	defer flush()
	ch := make(chan int)
	go receiver(ch)
	time.Sleep(1 * time.Millisecond)
	ch <- 1
	go job("started after the send")
	say("main sent")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
