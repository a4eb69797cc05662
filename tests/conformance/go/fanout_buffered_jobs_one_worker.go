// Fan-out from a buffered jobs channel to three workers reporting on an unbuffered channel: on one P the runnext hand-offs keep the first worker busy and it does every job.
package main

func worker(id int, jobs chan int, results chan [2]int) {
	for j := range jobs {
		results <- [2]int{id, j}
	}
}

func main() {
	defer flush()
	jobs := make(chan int, 6)
	results := make(chan [2]int)
	for j := 1; j <= 6; j++ {
		jobs <- j
	}
	close(jobs)
	for w := 1; w <= 3; w++ {
		go worker(w, jobs, results)
	}
	for i := 0; i < 6; i++ {
		r := <-results
		say("worker", r[0], "did job", r[1])
	}
}
