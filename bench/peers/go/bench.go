// Go 1.19 with GOMAXPROCS=1: the peer for spawn_join (goroutines + WaitGroup), yield
// (runtime.Gosched), channel_roundtrip (two capacity-1 channels) and timer_insert_cancel
// (time.AfterFunc + Stop). Prints one JSON line per case: the best of five runs.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

const (
	tasks  = 10000
	yields = 100000
	trips  = 100000
	timers = 1000000
)

func best(ops int, body func()) float64 {
	b := time.Duration(1 << 62)
	for i := 0; i < 5; i++ {
		start := time.Now()
		body()
		if d := time.Since(start); d < b {
			b = d
		}
	}
	return float64(b.Nanoseconds()) / float64(ops)
}

func spawnJoin() {
	var wg sync.WaitGroup
	wg.Add(tasks)
	for i := 0; i < tasks; i++ {
		go func() { wg.Done() }()
	}
	wg.Wait()
}

func yieldMany() {
	for i := 0; i < yields; i++ {
		runtime.Gosched()
	}
}

func pingPong() {
	a, b := make(chan int, 1), make(chan int, 1)
	done := make(chan struct{})
	go func() {
		for i := 0; i < trips; i++ {
			b <- <-a
		}
		close(done)
	}()
	for i := 0; i < trips; i++ {
		a <- i
		<-b
	}
	<-done
}

func timerInsertCancel() {
	ts := make([]*time.Timer, timers)
	x := uint64(88172645463325252)
	for i := range ts {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		ts[i] = time.AfterFunc(time.Duration(1+x%1000000)*time.Millisecond, func() {})
	}
	for _, t := range ts {
		t.Stop()
	}
}

func main() {
	runtime.GOMAXPROCS(1)
	report := func(name string, ns float64) { fmt.Printf("{\"name\":\"%s/go\",\"ns_per_op\":%.2f}\n", name, ns) }
	report("spawn_join", best(tasks, spawnJoin))
	report("yield", best(yields, yieldMany))
	report("channel_roundtrip", best(trips, pingPong))
	report("timer_insert_cancel", best(timers, timerInsertCancel))
}
