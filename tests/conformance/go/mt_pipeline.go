// GOMAXPROCS=2: a three-stage pipeline over unbuffered channels delivers its values in order.
package main

func generate(out chan int) {
	for i := 1; i <= 5; i++ {
		out <- i
	}
	close(out)
}

func square(in, out chan int) {
	for v := range in {
		out <- v * v
	}
	close(out)
}

func main() {
	defer flush()
	nums, squares := make(chan int), make(chan int)
	go generate(nums)
	go square(nums, squares)
	for v := range squares {
		say("got", v)
	}
	say("main done")
}
