// GOMAXPROCS=2: while main works for 30 ms, the idle P steals the goroutine sitting in main's runnext (runqsteal takes runnext too) and runs its 5 ms of work.
package main

func job(done chan int) {
	work(5)
	done <- 1
}

func main() {
	defer flush()
	done := make(chan int, 1)
	go job(done)
	work(30)
	say("job finished during main's work:", len(done))
}
