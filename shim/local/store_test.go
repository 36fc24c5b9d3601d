package local

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

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
	ctx := context.Background()
	stores, _ := testStores(t)
	for name, s := range stores {
		if _, ok, _ := s.Get(ctx, "k"); ok {
			t.Errorf("%s: Get of a missing key found a value", name)
		}
		v, ours, err := s.PutIfAbsent(ctx, "k", []byte("first"), time.Hour)
		if err != nil || !ours || string(v) != "first" {
			t.Errorf("%s: first PutIfAbsent = %q %v %v", name, v, ours, err)
		}
		v, ours, _ = s.PutIfAbsent(ctx, "k", []byte("second"), time.Hour)
		if ours || string(v) != "first" {
			t.Errorf("%s: second PutIfAbsent = %q %v, want the first value kept", name, v, ours)
		}
		if got, ok, _ := s.Get(ctx, "k"); !ok || string(got) != "first" {
			t.Errorf("%s: Get = %q %v", name, got, ok)
		}
		for i, idx := range []int{2, 0, 2, 1} {
			n, err := s.JoinAdd(ctx, "j", idx, []byte{byte('a' + i)}, time.Hour)
			if want := []int{1, 2, 2, 3}[i]; err != nil || n != want {
				t.Errorf("%s: JoinAdd #%d = %d %v, want %d", name, i, n, err, want)
			}
		}
		rec, _ := s.JoinGet(ctx, "j")
		if len(rec) != 3 || string(rec[2]) != "a" || string(rec[0]) != "b" {
			t.Errorf("%s: JoinGet = %v, want the first value of each index", name, rec)
		}
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
