// A receive from a blocked sender takes its value and readies it; the receiver keeps running.
package main

import "time"

func sender(ch chan int) {
	ch <- 7
	say("sender resumed")
}

func main() {
	defer flush()
	ch := make(chan int)
	go sender(ch)
	time.Sleep(1 * time.Millisecond)
	v := <-ch
	say("main got", v)
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
