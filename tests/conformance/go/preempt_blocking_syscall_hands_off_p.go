// A blocking system call releases the P: sysmon hands it to another thread, so a queued goroutine does its 5 ms of work while main is blocked for 50 ms.
package main

func job(done chan int) {
	work(5)
	done <- 1
}

func main() {
	defer flush()
	done := make(chan int, 1)
	go job(done)
	block(50)
	say("job finished during main's blocking call:", len(done))
}
