// GOMAXPROCS=2: a sleeper's timer fires while main keeps its P busy; the other P runs the timer and the sleeper.
package main

import "time"

func sleeper(done chan int) {
	time.Sleep(5 * time.Millisecond)
	done <- 1
}

func main() {
	defer flush()
	done := make(chan int, 1)
	go sleeper(done)
	time.Sleep(1 * time.Millisecond)
	work(30)
	say("sleeper finished during main's work:", len(done))
}
