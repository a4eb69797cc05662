// GOMAXPROCS=2: a ping-pong over unbuffered channels prints in strict alternation wherever the goroutines run.
package main

func ponger(ping, pong chan int) {
	for v := range ping {
		say("pong", v)
		pong <- v
	}
}

func main() {
	defer flush()
	ping, pong := make(chan int), make(chan int)
	go ponger(ping, pong)
	for i := 1; i <= 3; i++ {
		say("ping", i)
		ping <- i
		<-pong
	}
	close(ping)
	say("main done")
}
