// In starvation mode Unlock hands the mutex over and yields with goyield, which puts the unlocker at the tail of the local queue (Gosched would use the global queue).
package main

import (
	"runtime"
	"sync"
	"time"
)

var mu sync.Mutex

func job(name string) { say("job", name) }

func waiter() {
	mu.Lock()
	say("waiter locked")
	go job("y1")
	go job("y2")
	mu.Unlock()
}

func main() {
	defer flush()
	mu.Lock()
	go waiter()
	time.Sleep(5 * time.Millisecond)
	mu.Unlock()
	mu.Lock()
	runtime.Gosched()
	mu.Unlock()
	say("main after the second Unlock")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
