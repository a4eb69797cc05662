// time.Sleep(0) returns at once without scheduling: main keeps the P.
package main

import "time"

func job(name string) { say("job", name) }

func main() {
	defer flush()
	go job("a")
	time.Sleep(0)
	say("main after Sleep(0)")
	time.Sleep(10 * time.Millisecond)
	say("main done")
}
