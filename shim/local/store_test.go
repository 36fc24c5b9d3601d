package local

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jointlambda/jlgen/internal/storetest"
	jlrt "github.com/jointlambda/jlgen/runtime"
)

// testStores returns a memory store and a bbolt store, with the clock the
// bbolt store measures expiry by.
func testStores(t *testing.T) (map[string]jlrt.Store, *time.Time) {
	now := Epoch
	stats := &Stats{}
	bs, err := OpenBoltStore(filepath.Join(t.TempDir(), "store.db"),
		func() time.Time { return now }, stats)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bs.Close() })
	return map[string]jlrt.Store{"memory": NewStore(stats), "bbolt": bs}, &now
}

func TestStoreContract(t *testing.T) {
	stores, _ := testStores(t)
	for name, s := range stores {
		t.Run(name, func(t *testing.T) { storetest.Contract(t, s) })
	}
	more, _ := testStores(t)
	for name, s := range more {
		t.Run(name+"/values", func(t *testing.T) { storetest.Values(t, s) })
	}
}

// TestStoreConcurrentCallers races duplicate writers: exactly one
// PutIfAbsent wins, and JoinAdd counts each index once.
func TestStoreConcurrentCallers(t *testing.T) {
	ctx := context.Background()
	stores, _ := testStores(t)
	for name, s := range stores {
		var wg sync.WaitGroup
		wins := make(chan int, 32)
		for i := 0; i < 32; i++ {
			wg.Go(func() {
				if _, ours, err := s.PutIfAbsent(ctx, "race", []byte{byte(i)}, time.Hour); err == nil && ours {
					wins <- i
				}
				s.JoinAdd(ctx, "racejoin", i%8, []byte{byte(i)}, time.Hour)
			})
		}
		wg.Wait()
		close(wins)
		if n := len(wins); n != 1 {
			t.Errorf("%s: %d writers won PutIfAbsent, want 1", name, n)
		}
		if rec, _ := s.JoinGet(ctx, "racejoin"); len(rec) != 8 {
			t.Errorf("%s: join holds %d indexes, want 8", name, len(rec))
		}
	}
}

func TestBoltStoreExpiry(t *testing.T) {
	ctx := context.Background()
	stores, now := testStores(t)
	s := stores["bbolt"]
	s.PutIfAbsent(ctx, "k", []byte("old"), time.Minute)
	*now = now.Add(2 * time.Minute)
	if _, ok, _ := s.Get(ctx, "k"); ok {
		t.Error("an expired value is still read")
	}
	if _, ours, _ := s.PutIfAbsent(ctx, "k", []byte("new"), time.Minute); !ours {
		t.Error("an expired value blocked a new write")
	}
}
