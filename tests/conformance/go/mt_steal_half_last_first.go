// GOMAXPROCS=2: an idle P steals half of a busy P's local queue and runs the last goroutine it stole first; it steals the rest the same way and takes runnext last.
package main

func busy(started chan int) {
	started <- 1
	work(2)
}

func job(name string, out chan string) { out <- name }

func main() {
	defer flush()
	started := make(chan int)
	out := make(chan string, 5)
	go busy(started)
	<-started
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		go job(name, out)
	}
	work(8)
	n := len(out)
	say("jobs run during main's work:", n)
	for i := 0; i < n; i++ {
		say("ran", <-out)
	}
}
