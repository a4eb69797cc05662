// Normal mode: Unlock does not hand the mutex to the woken waiter, so the unlocking goroutine can lock it again at once (barging).
package main

import (
	"runtime"
	"sync"
	"time"
)

var mu sync.Mutex

func waiter() {
	mu.Lock()
	say("waiter locked")
	mu.Unlock()
}

func main() {
	defer flush()
	mu.Lock()
	go waiter()
	runtime.Gosched()
	mu.Unlock()
	mu.Lock()
	say("main locked again")
	mu.Unlock()
	say("main unlocked again")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
