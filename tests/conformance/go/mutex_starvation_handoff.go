// A waiter that waited over 1 ms and still lost the race switches the mutex to starvation mode: the next Unlock hands it over and yields the P to it.
package main

import (
	"runtime"
	"sync"
	"time"
)

var mu sync.Mutex

func waiter(done chan int) {
	mu.Lock()
	say("waiter locked")
	mu.Unlock()
	done <- 1
}

func main() {
	defer flush()
	done := make(chan int)
	mu.Lock()
	go waiter(done)
	time.Sleep(5 * time.Millisecond)
	mu.Unlock()
	mu.Lock()
	say("main locked again")
	runtime.Gosched()
	mu.Unlock()
	say("main after the second Unlock")
	<-done
	say("main done")
}
