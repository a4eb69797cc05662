// Sends to several waiting receivers go to the oldest waiter first; each woken receiver takes runnext, so the last one woken runs first, then the others in order.
package main

import (
	"strconv"
	"time"
)

func receiver(name string, ch chan int) {
	v := <-ch
	say(name, "got", v)
}

func main() {
	defer flush()
	ch := make(chan int)
	for i := 1; i <= 3; i++ {
		go receiver("receiver "+strconv.Itoa(i), ch)
		time.Sleep(1 * time.Millisecond)
	}
	ch <- 10
	ch <- 20
	ch <- 30
	say("main sent 3 values")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
