// .coro's synchronous work(ms) and block(ms) for the Go pairs.
package main

import (
	"syscall"
	"time"
)

// work is .coro's work(ms): a busy loop that burns the CPU for ms milliseconds of wall-clock
// time without ever blocking. The goroutine keeps its P, and Go can only take the P away by
// preempting it (sysmon, after 10 ms).
func work(ms int) {
	end := time.Now().Add(time.Duration(ms) * time.Millisecond)
	for time.Now().Before(end) {
	}
}

// block is .coro's block(ms): a blocking system call (nanosleep) that parks the thread for ms
// milliseconds. While it lasts the goroutine's M holds no P (sysmon hands the P to another M).
func block(ms int) {
	ts := syscall.NsecToTimespec(int64(ms) * int64(time.Millisecond))
	for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
	}
}
