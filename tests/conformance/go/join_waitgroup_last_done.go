// sync.WaitGroup: only the last Done wakes the waiting main (into runnext), and that worker keeps running until it returns.
package main

import "sync"

var wg sync.WaitGroup

func worker(name string) {
	say(name, "working")
	wg.Done()
	say(name, "after Done")
}

func main() {
	defer flush()
	wg.Add(3)
	go worker("w1")
	go worker("w2")
	go worker("w3")
	wg.Wait()
	say("main joined all")
}
