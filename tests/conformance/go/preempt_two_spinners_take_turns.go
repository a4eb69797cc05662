// Two goroutines busy for 30 ms each on one P: preemption makes them take turns, so both start before either finishes.
package main

func spinner(name string, done chan int) {
	say(name, "starts")
	work(30)
	say(name, "done")
	done <- 1
}

func main() {
	defer flush()
	done := make(chan int)
	go spinner("a", done)
	go spinner("b", done)
	<-done
	<-done
	say("main done")
}
