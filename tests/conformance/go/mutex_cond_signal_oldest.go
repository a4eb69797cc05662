// sync.Cond.Signal wakes the oldest waiter only, and the signalling goroutine keeps running.
package main

import (
	"strconv"
	"sync"
	"time"
)

var mu sync.Mutex
var cond = sync.NewCond(&mu)

func waiter(name string) {
	mu.Lock()
	cond.Wait()
	say(name, "woke")
	mu.Unlock()
}

func main() {
	defer flush()
	for i := 1; i <= 3; i++ {
		go waiter("waiter " + strconv.Itoa(i))
		time.Sleep(1 * time.Millisecond)
	}
	cond.Signal()
	say("main signalled once")
	time.Sleep(10 * time.Millisecond)
	cond.Signal()
	say("main signalled twice")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
