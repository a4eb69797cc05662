// GOMAXPROCS=2: while main works for 30 ms, the idle P steals every goroutine main started (its local queue, then its runnext) and runs their 5 ms of work each.
package main

func job(done chan int) {
	work(5)
	done <- 1
}

func main() {
	defer flush()
	done := make(chan int, 3)
	for i := 0; i < 3; i++ {
		go job(done)
	}
	work(30)
	say("jobs finished during main's work:", len(done))
}
