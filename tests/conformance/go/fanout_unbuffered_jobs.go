// Fan-out over an unbuffered jobs channel: each send wakes the oldest waiting worker into runnext, displacing the one woken before, and main blocks once no worker waits.
package main

import "time"

func worker(id int, jobs chan int, done chan int) {
	for j := range jobs {
		say("worker", id, "got job", j)
	}
	done <- id
}

func main() {
	defer flush()
	jobs := make(chan int)
	done := make(chan int)
	for w := 1; w <= 3; w++ {
		go worker(w, jobs, done)
	}
	time.Sleep(1 * time.Millisecond)
	for j := 1; j <= 5; j++ {
		jobs <- j
	}
	close(jobs)
	for i := 0; i < 3; i++ {
		say("main: worker", <-done, "finished")
	}
}
