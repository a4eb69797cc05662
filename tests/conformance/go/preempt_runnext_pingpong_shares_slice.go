// Goroutines handing over through runnext share one time slice: a ping-pong of 1 ms turns is preempted after about 10 ms and a queued goroutine gets to run.
package main

import "time"

var bystanderRan = 0

func bystander() {
	bystanderRan = 1
	say("bystander ran")
}

func ponger(ping, pong chan int) {
	for {
		v := <-ping
		work(1)
		pong <- v
	}
}

func pinger(ping, pong, start, result chan int) {
	<-start
	for i := 0; i < 30; i++ {
		work(1)
		ping <- i
		<-pong
	}
	result <- bystanderRan
}

func main() {
	defer flush()
	ping, pong := make(chan int), make(chan int)
	start, result := make(chan int), make(chan int)
	go ponger(ping, pong)
	go pinger(ping, pong, start, result)
	time.Sleep(1 * time.Millisecond)
	go bystander()
	start <- 1
	say("main waits")
	say("bystander ran before the ping-pong ended:", <-result)
}
