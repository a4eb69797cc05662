// Gosched puts main on the global queue: goroutines that reach the local queue after it still run before main resumes.
package main

import "runtime"

func job(name string) { say("job", name) }

func spawner() {
	say("spawner starts c1 and c2")
	go job("c1")
	go job("c2")
}

func main() {
	defer flush()
	go job("a")
	go spawner()
	runtime.Gosched()
	say("main after Gosched")
}
