// Joining goroutines one by one (each closes its done channel when it returns): a goroutine that finished early is joined at once when main gets to it.
package main

import "time"

func worker(name string, ms int, done chan struct{}) {
	defer close(done)
	time.Sleep(time.Duration(ms) * time.Millisecond)
	say(name, "finished")
}

func main() {
	defer flush()
	done1, done2 := make(chan struct{}), make(chan struct{})
	go worker("slow", 30, done1)
	go worker("fast", 10, done2)
	<-done1
	say("main joined slow")
	<-done2
	say("main joined fast")
}
