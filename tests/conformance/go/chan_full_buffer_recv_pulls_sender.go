// A receive from a full buffer with a blocked sender moves the sender's value into the buffer at once, so the buffer stays full.
package main

import "time"

func sender(ch chan int) {
	for i := 1; i <= 3; i++ {
		ch <- i
		say("sent", i)
	}
}

func main() {
	defer flush()
	ch := make(chan int, 2)
	go sender(ch)
	time.Sleep(1 * time.Millisecond)
	v := <-ch
	say("main got", v, "values in the buffer:", len(ch))
	time.Sleep(10 * time.Millisecond)
	a := <-ch
	b := <-ch
	say("main then got", a, b)
}
