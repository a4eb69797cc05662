// Workers report on an unbuffered done channel: each report readies main into runnext, the worker keeps running, and main handles it before the next worker starts.
package main

func worker(name string, done chan string) {
	say(name, "working")
	done <- name
	say(name, "reported")
}

func main() {
	defer flush()
	done := make(chan string)
	go worker("w1", done)
	go worker("w2", done)
	go worker("w3", done)
	for i := 0; i < 3; i++ {
		say("main joined", <-done)
	}
	say("main done")
}
