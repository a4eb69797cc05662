// sync.Cond.Broadcast readies every waiter oldest first, each into runnext: the newest waiter runs first, then the others in wait order.
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
	cond.Broadcast()
	say("main broadcast")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
