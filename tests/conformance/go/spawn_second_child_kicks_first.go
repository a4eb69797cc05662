// A goroutine's second go statement moves its first child from runnext to the tail of the queue, behind goroutines queued earlier.
package main

import "time"

func job(name string) { say("job", name) }

func parent() {
	say("parent starts c and d")
	go job("c")
	go job("d")
}

func main() {
	defer flush()
	go job("a")
	go parent()
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
