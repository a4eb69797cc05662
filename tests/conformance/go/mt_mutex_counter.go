// GOMAXPROCS=2: two goroutines adding to a counter under a sync.Mutex lose no update.
package main

import "sync"

var mu sync.Mutex
var count = 0

func adder(n int, done chan int) {
	for i := 0; i < n; i++ {
		mu.Lock()
		count++
		mu.Unlock()
	}
	done <- 1
}

func main() {
	defer flush()
	done := make(chan int)
	go adder(1000, done)
	go adder(1000, done)
	<-done
	<-done
	say("count", count)
}
