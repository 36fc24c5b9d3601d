package local

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/jointlambda/jlgen/internal/storetest"
	jlrt "github.com/jointlambda/jlgen/runtime"
)

// testStores returns a memory store and a bbolt store, with the clock the
// bbolt store measures expiry by.
func testStores(t testing.TB) (map[string]jlrt.Store, *time.Time) {
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
	batch, _ := testStores(t)
	for name, s := range batch {
		t.Run(name+"/batch", func(t *testing.T) { storetest.Batch(t, s) })
	}
}

// TestStoreConcurrentCallers races duplicate writers: exactly one
// PutIfAbsent wins, and JoinAdd counts each index once.
func TestStoreConcurrentCallers(t *testing.T) {
	stores, _ := testStores(t)
	for name, s := range stores {
		t.Run(name, func(t *testing.T) { storetest.Race(t, s, "race", 32, 8) })
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
	if got, err := s.GetMany(ctx, []string{"k"}); len(got) != 0 || err != nil {
		t.Errorf("GetMany of an expired value = %q %v, want nothing", got, err)
	}
	if _, ours, _ := s.PutIfAbsent(ctx, "k", []byte("new"), time.Minute); !ours {
		t.Error("an expired value blocked a new write")
	}
}

// BenchmarkStores measures the memory and bbolt stores' operations.
func BenchmarkStores(b *testing.B) {
	stores, _ := testStores(b)
	for _, name := range []string{"memory", "bbolt"} {
		b.Run(name, func(b *testing.B) { storetest.Bench(b, stores[name]) })
	}
}
