// While a woken waiter has not run yet, Unlock wakes nobody else (mutexWoken): the second waiter sleeps until the first one unlocks.
package main

import (
	"runtime"
	"sync"
	"time"
)

var mu sync.Mutex

func waiter(name string) {
	mu.Lock()
	say(name, "locked")
	mu.Unlock()
	say(name, "unlocked")
}

func main() {
	defer flush()
	mu.Lock()
	go waiter("w1")
	runtime.Gosched()
	go waiter("w2")
	runtime.Gosched()
	mu.Unlock()
	mu.Lock()
	mu.Unlock()
	say("main unlocked twice")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
