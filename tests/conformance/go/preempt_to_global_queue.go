// A preempted goroutine goes to the global queue: goroutines that reach the local queue after it was preempted run before it resumes.
package main

import "time"

func job(name string) { say("job", name) }

func spawner() {
	say("spawner starts c1 and c2")
	go job("c1")
	go job("c2")
}

func spinner() {
	say("spinner starts")
	work(30)
	say("spinner done")
}

func main() {
	defer flush()
	go job("a")
	go spawner()
	go spinner()
	time.Sleep(50 * time.Millisecond)
	say("main done")
}
