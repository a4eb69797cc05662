// A goroutine started by a running goroutine takes runnext: it runs before the goroutines queued earlier.
package main

import "time"

func leaf(name string) { say("leaf", name) }

func parent() {
	say("parent")
	go leaf("from parent")
	say("parent done")
}

func main() {
	defer flush()
	go leaf("from main")
	go parent()
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
