// A go statement does not switch: main keeps running until it blocks, then the goroutines run (last started first).
package main

import "time"

func child(name string) { say("child", name) }

func main() {
	defer flush()
	go child("a")
	say("main after go a")
	go child("b")
	say("main after go b")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
