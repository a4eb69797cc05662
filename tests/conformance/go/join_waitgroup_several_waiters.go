// The last Done releases every goroutine blocked in Wait, oldest first, each into runnext: the last one released runs first, then the others in wait order.
package main

import (
	"strconv"
	"sync"
	"time"
)

var wg sync.WaitGroup

func waiter(name string) {
	wg.Wait()
	say(name, "released")
}

func main() {
	defer flush()
	wg.Add(1)
	for i := 1; i <= 3; i++ {
		go waiter("waiter " + strconv.Itoa(i))
		time.Sleep(1 * time.Millisecond)
	}
	wg.Done()
	say("main called Done")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
