package sqlite

import (
	"os"
	"sync"
	"sync/atomic"
)

// The write-ahead log's background flush. With synchronous=NORMAL a commit
// only writes its pages into the log (the kernel's cache); the writer's
// checkpoint (writer.go) first flushes the whole log to disk, then copies
// it into the database file. Flushing 256 commits' worth of log there took
// 6-8 ms on this project's test machine, with the writer's lock held, so
// every command arriving meanwhile waited for it (most of the core's p99).
// The flusher syncs the log from its own goroutine every syncEvery commits,
// while the writer goes on: the checkpoint's flush then finds little left
// to write (the checkpoint took ~2 ms instead of ~8 ms). An extra sync
// never weakens durability: the checkpoint still makes its own.

// syncEvery is how many commits pass between background flushes of the
// log.
const syncEvery = 32

type walFlusher struct {
	path string // the log file: the database's path + "-wal"
	kick chan struct{}
	stop chan struct{}
	once sync.Once
	done sync.WaitGroup
	// syncs counts flushes made (a test's window on the flusher).
	syncs atomic.Int64
}

// startWALFlusher starts flushing file's write-ahead log when kicked.
func startWALFlusher(file string) *walFlusher {
	f := &walFlusher{path: file + "-wal", kick: make(chan struct{}, 1), stop: make(chan struct{})}
	f.done.Go(f.run)
	return f
}

// kickAfter asks for a flush when commit n is a multiple of syncEvery; it
// never blocks (a flush already asked for covers this commit too).
func (f *walFlusher) kickAfter(n int64) {
	if f == nil || n%syncEvery != 0 {
		return
	}
	select {
	case f.kick <- struct{}{}:
	default:
	}
}

func (f *walFlusher) run() {
	for {
		select {
		case <-f.stop:
			return
		case <-f.kick:
		}
		f.flush()
	}
}

// flush syncs the log through a descriptor of its own: an fsync writes
// out the file's cached pages whichever descriptor wrote them. The file is
// opened each time, as SQLite may remove and recreate it. A failure is
// left to the checkpoint's own sync, which reports through SQLite.
func (f *walFlusher) flush() {
	fh, err := os.Open(f.path)
	if err != nil {
		return
	}
	if fh.Sync() == nil {
		f.syncs.Add(1)
	}
	fh.Close()
}

// close stops the flusher and waits for a flush under way; closing twice
// is harmless.
func (f *walFlusher) close() {
	if f == nil {
		return
	}
	f.once.Do(func() { close(f.stop) })
	f.done.Wait()
}
