// close readies the waiting receivers in reverse wait order, each into runnext: the first waiter runs first, then the others from the last one back.
package main

import (
	"strconv"
	"time"
)

func receiver(name string, ch chan int) {
	_, ok := <-ch
	if !ok {
		say(name, "saw close")
	}
}

func main() {
	defer flush()
	ch := make(chan int)
	for i := 1; i <= 4; i++ {
		go receiver("receiver "+strconv.Itoa(i), ch)
		time.Sleep(1 * time.Millisecond)
	}
	close(ch)
	say("main closed")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
