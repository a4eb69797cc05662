// Sleepers wake in deadline order, not in the order they started sleeping.
package main

import "time"

func sleeper(ms int, done chan int) {
	time.Sleep(time.Duration(ms) * time.Millisecond)
	say("slept", ms, "ms")
	done <- ms
}

func main() {
	defer flush()
	done := make(chan int)
	go sleeper(30, done)
	go sleeper(10, done)
	go sleeper(20, done)
	for i := 0; i < 3; i++ {
		say("main saw", <-done)
	}
}
