// Ping-pong on unbuffered channels: each hand-over readies the partner, but the goroutine that completed it keeps running until it blocks.
package main

func ponger(ping, pong chan int) {
	for {
		v := <-ping
		say("pong got", v)
		pong <- v + 1
		say("pong sent", v+1)
	}
}

func main() {
	defer flush()
	ping, pong := make(chan int), make(chan int)
	go ponger(ping, pong)
	v := 0
	for i := 0; i < 2; i++ {
		ping <- v
		say("main sent", v)
		v = <-pong
		say("main got", v)
		v++
	}
}
