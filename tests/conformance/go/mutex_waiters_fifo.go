// Waiters get the mutex in the order they queued: each Unlock wakes the oldest waiter.
package main

import (
	"runtime"
	"strconv"
	"sync"
	"time"
)

var mu sync.Mutex

func waiter(name string) {
	mu.Lock()
	say(name, "locked")
	mu.Unlock()
}

func main() {
	defer flush()
	mu.Lock()
	for i := 1; i <= 3; i++ {
		go waiter("waiter " + strconv.Itoa(i))
		runtime.Gosched()
	}
	mu.Unlock()
	say("main unlocked")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
