// Fan-in from two producers over one unbuffered channel: runnext keeps the consumer and the first producer handing over to each other, so it delivers all its values before the other starts.
package main

func producer(base int, out chan int) {
	for i := 1; i <= 3; i++ {
		out <- base + i
	}
}

func main() {
	defer flush()
	out := make(chan int)
	go producer(10, out)
	go producer(20, out)
	for i := 0; i < 6; i++ {
		say("consumer got", <-out)
	}
}
