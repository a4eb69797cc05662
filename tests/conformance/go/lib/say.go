// What every Go pair shares: say() prints into a buffer that main flushes when it returns
// (`defer flush()`), so that writing to stdout never hands the P to another goroutine.
package main

import (
	"bytes"
	"fmt"
	"os"
)

var out bytes.Buffer

// say prints its arguments joined by one space and a newline, as .coro's print does.
func say(a ...any) { fmt.Fprintln(&out, a...) }

func flush() { os.Stdout.Write(out.Bytes()) }
