// The multi-threaded cases in Go 1.19: GOMAXPROCS is set from --workers, tasks are goroutines,
// joins are sync.WaitGroup, yield is runtime.Gosched, channels are Go channels, the mutex is
// sync.Mutex, timers are time.AfterFunc / time.Ticker and the TCP cases use the net package on
// 127.0.0.1. Each case runs once and prints one JSON line:
//
//	{"name":"<case>@<N>w/go","ns_per_op":X, ...extra fields}
//
// --quick divides every count by 100 (at least 1) and shortens fairness_hog to 20 ms.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var (
	workers = flag.Int("workers", 1, "GOMAXPROCS")
	quick   = flag.Bool("quick", false, "divide every count by 100")
)

// size scales a count for --quick.
func size(n int) int {
	if *quick {
		n /= 100
	}
	if n < 1 {
		n = 1
	}
	return n
}

// field is one extra "key":value pair after ns_per_op.
type field struct {
	key string
	val float64
}

func report(name string, nsPerOp float64, extra ...field) {
	var b strings.Builder
	fmt.Fprintf(&b, `{"name":"%s@%dw/go","ns_per_op":%.2f`, name, *workers, nsPerOp)
	for _, f := range extra {
		fmt.Fprintf(&b, `,"%s":%.2f`, f.key, f.val)
	}
	b.WriteString("}\n")
	os.Stdout.WriteString(b.String())
}

// perOp returns the nanoseconds per operation of a wall time spanning ops operations.
func perOp(d time.Duration, ops int) float64 {
	return float64(d.Nanoseconds()) / float64(ops)
}

// percentile returns the p-th percentile (0 < p <= 100) of sorted durations, nearest rank.
func percentile(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	if i < 1 {
		i = 1
	}
	return sorted[i-1]
}

func sortDurations(d []time.Duration) {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}

// spawn_local: one goroutine starts n no-op goroutines, then waits for them all.
func spawnLocal() {
	n := size(100000)
	var wg sync.WaitGroup
	start := time.Now()
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() { wg.Done() }()
	}
	wg.Wait()
	report("spawn_local", perOp(time.Since(start), n))
}

// chained_spawn: each goroutine starts the next one, depth deep; the last closes done.
func chainedSpawn() {
	depth := size(1000)
	done := make(chan struct{})
	var link func(left int)
	link = func(left int) {
		if left == 0 {
			close(done)
			return
		}
		go link(left - 1)
	}
	start := time.Now()
	go link(depth)
	<-done
	report("chained_spawn", perOp(time.Since(start), depth))
}

// yield_many: tasks goroutines each call runtime.Gosched yields times.
func yieldMany() {
	tasks, yields := size(200), size(1000)
	var wg sync.WaitGroup
	start := time.Now()
	wg.Add(tasks)
	for i := 0; i < tasks; i++ {
		go func() {
			for j := 0; j < yields; j++ {
				runtime.Gosched()
			}
			wg.Done()
		}()
	}
	wg.Wait()
	report("yield_many", perOp(time.Since(start), tasks*yields))
}

// ping_pong: one goroutine starts n goroutines; each starts a helper, sends it a ping on a
// one-shot channel and waits for the pong on another; the last to finish closes done.
func pingPong() {
	n := size(1000)
	done := make(chan struct{})
	var left int64 = int64(n)
	start := time.Now()
	go func() {
		for i := 0; i < n; i++ {
			go func() {
				ping, pong := make(chan struct{}, 1), make(chan struct{}, 1)
				go func() {
					<-ping
					pong <- struct{}{}
				}()
				ping <- struct{}{}
				<-pong
				if atomic.AddInt64(&left, -1) == 0 {
					close(done)
				}
			}()
		}
	}()
	<-done
	report("ping_pong", perOp(time.Since(start), n))
}

// channel_roundtrip: two goroutines bounce a value over two capacity-1 channels.
func channelRoundtrip() {
	trips := size(500000)
	a, b := make(chan int, 1), make(chan int, 1)
	done := make(chan struct{})
	start := time.Now()
	go func() {
		for i := 0; i < trips; i++ {
			b <- <-a
		}
		close(done)
	}()
	for i := 0; i < trips; i++ {
		a <- i
		<-b
	}
	<-done
	report("channel_roundtrip", perOp(time.Since(start), trips))
}

// mutex_contended: tasks goroutines each lock a sync.Mutex iters times to bump a counter.
func mutexContended() {
	tasks, iters := size(64), size(10000)
	var mu sync.Mutex
	counter := 0
	var wg sync.WaitGroup
	start := time.Now()
	wg.Add(tasks)
	for i := 0; i < tasks; i++ {
		go func() {
			for j := 0; j < iters; j++ {
				mu.Lock()
				counter++
				mu.Unlock()
			}
			wg.Done()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if counter != tasks*iters {
		panic("mutex_contended: lost increments")
	}
	report("mutex_contended", perOp(elapsed, tasks*iters))
}

// timer_insert_cancel: start n timers 1..1 000 000 ms out (xorshift), then stop them all.
func timerInsertCancel() {
	n := size(1000000)
	ts := make([]*time.Timer, n)
	x := uint64(88172645463325252)
	start := time.Now()
	for i := range ts {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		ts[i] = time.AfterFunc(time.Duration(1+x%1000000)*time.Millisecond, func() {})
	}
	for _, t := range ts {
		t.Stop()
	}
	report("timer_insert_cancel", perOp(time.Since(start), n))
}

// fairness_hog: one goroutine spins on non-blocking send+receive over a buffered channel while
// this goroutine receives from a 1 ms time.Ticker; lateness = receive time - the tick's scheduled
// time, and the worst is reported. The Time a ticker sends is when its timer fired, which is
// itself late when the hog holds the processor, so the scheduled time comes from the ticker's
// grid (start + k ms): after firing, the runtime re-arms the ticker at the first grid point past
// the firing time, so each tick is due at the grid point following the previous tick's firing.
// When ticks were dropped, that is the earliest deadline not yet served.
func fairnessHog() {
	run := 200 * time.Millisecond
	if *quick {
		run = 20 * time.Millisecond
	}
	const period = time.Millisecond
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		ch := make(chan int, 1)
		for !stop.Load() {
			select {
			case ch <- 1:
			default:
			}
			select {
			case <-ch:
			default:
			}
		}
		wg.Done()
	}()
	// Read before NewTicker, so the grid is at most the call's duration early.
	start := time.Now()
	ticker := time.NewTicker(period)
	due := start.Add(period)
	var worst time.Duration
	for {
		fired := <-ticker.C
		now := time.Now()
		if late := now.Sub(due); late > worst {
			worst = late
		}
		due = start.Add((fired.Sub(start)/period + 1) * period)
		if now.Sub(start) >= run {
			break
		}
	}
	ticker.Stop()
	stop.Store(true)
	wg.Wait()
	report("fairness_hog", float64(worst.Nanoseconds()))
}

// wake_latency: a goroutine locked to its own OS thread sends time.Now() on a channel n times,
// 100 µs apart (time.Sleep); the receiving goroutine records how long after the send it ran.
func wakeLatency() {
	n := size(10000)
	ch := make(chan time.Time, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		for i := 0; i < n; i++ {
			time.Sleep(100 * time.Microsecond)
			ch <- time.Now()
		}
	}()
	lat := make([]time.Duration, n)
	for i := range lat {
		sent := <-ch
		lat[i] = time.Since(sent)
	}
	sortDurations(lat)
	report("wake_latency", float64(percentile(lat, 50).Nanoseconds()),
		field{"p99_ns", float64(percentile(lat, 99).Nanoseconds())})
}

// echo copies everything read from c back to c until the peer closes.
func echo(c net.Conn, bufSize int) {
	defer c.Close()
	buf := make([]byte, bufSize)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// serve accepts conns connections on ln and echoes each in its own goroutine.
func serve(ln net.Listener, conns, bufSize int) {
	for i := 0; i < conns; i++ {
		c, err := ln.Accept()
		check(err)
		go echo(c, bufSize)
	}
}

// tcp_pingpong: one loopback connection, a 64-byte message written and its echo read back.
func tcpPingpong() {
	trips := size(50000)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer ln.Close()
	go serve(ln, 1, 64)
	c, err := net.Dial("tcp", ln.Addr().String())
	check(err)
	msg, got := make([]byte, 64), make([]byte, 64)
	start := time.Now()
	for i := 0; i < trips; i++ {
		_, err := c.Write(msg)
		check(err)
		_, err = io.ReadFull(c, got)
		check(err)
	}
	elapsed := time.Since(start)
	c.Close()
	report("tcp_pingpong", perOp(elapsed, trips),
		field{"round_trips_per_s", float64(trips) / elapsed.Seconds()})
}

// tcp_echo_*: conns loopback connections, each in its own goroutine writing msgs messages of
// msgSize bytes and reading each full echo before the next. All connections are open before the
// clock starts.
func tcpEcho(name string, msgSize int) {
	conns, msgs := size(100), size(1000)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer ln.Close()
	go serve(ln, conns, msgSize)
	clients := make([]net.Conn, conns)
	for i := range clients {
		clients[i], err = net.Dial("tcp", ln.Addr().String())
		check(err)
	}
	lat := make([]time.Duration, conns*msgs)
	var wg sync.WaitGroup
	start := time.Now()
	wg.Add(conns)
	for i, c := range clients {
		go func(c net.Conn, lat []time.Duration) {
			defer wg.Done()
			msg, got := make([]byte, msgSize), make([]byte, msgSize)
			for j := range lat {
				t0 := time.Now()
				_, err := c.Write(msg)
				check(err)
				_, err = io.ReadFull(c, got)
				check(err)
				lat[j] = time.Since(t0)
			}
		}(c, lat[i*msgs:(i+1)*msgs])
	}
	wg.Wait()
	elapsed := time.Since(start)
	for _, c := range clients {
		c.Close()
	}
	total := conns * msgs
	sortDurations(lat)
	report(name, perOp(elapsed, total),
		field{"mb_per_s", float64(2*total*msgSize) / elapsed.Seconds() / 1e6},
		field{"p99_ns", float64(percentile(lat, 99).Nanoseconds())})
}

func main() {
	flag.Parse()
	if *workers < 1 {
		fmt.Fprintln(os.Stderr, "--workers must be at least 1")
		os.Exit(2)
	}
	runtime.GOMAXPROCS(*workers)
	cases := []func(){
		spawnLocal,
		chainedSpawn,
		yieldMany,
		pingPong,
		channelRoundtrip,
		mutexContended,
		timerInsertCancel,
		fairnessHog,
		wakeLatency,
		tcpPingpong,
		func() { tcpEcho("tcp_echo_64", 64) },
		func() { tcpEcho("tcp_echo_16k", 16*1024) },
	}
	for _, run := range cases {
		// Start each case with the garbage of the previous one collected.
		runtime.GC()
		run()
	}
}
