// Unlock wakes a waiter but does not switch to it: the unlocking goroutine keeps running.
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
	say("main unlocked")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
