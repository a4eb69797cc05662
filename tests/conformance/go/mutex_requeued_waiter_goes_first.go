// A woken waiter that loses the mutex to a barging goroutine is queued again at the front (LIFO), so the next Unlock wakes it again before the other waiter.
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
	say("main barged in")
	runtime.Gosched()
	mu.Unlock()
	say("main unlocked")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
