// runtime.Gosched lets every queued goroutine run before main continues.
package main

import "runtime"

func job(name string) { say("job", name) }

func main() {
	defer flush()
	go job("a")
	go job("b")
	runtime.Gosched()
	say("main after Gosched")
}
