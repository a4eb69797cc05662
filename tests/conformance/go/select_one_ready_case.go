// select with exactly one ready case takes that case (Go chooses at random only among several ready cases).
package main

func main() {
	defer flush()
	a := make(chan int, 1)
	b := make(chan int, 1)
	b <- 2
	select {
	case v := <-a:
		say("got a", v)
	case v := <-b:
		say("got b", v)
	}
	a <- 1
	select {
	case v := <-a:
		say("got a", v)
	case v := <-b:
		say("got b", v)
	}
}
