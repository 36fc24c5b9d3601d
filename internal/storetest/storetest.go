// Package storetest is the contract every runtime.Store meets, as tests
// that each store's package runs against a fresh store: shim/local's,
// shim/redis's and shim/aws's.
package storetest

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// Contract checks the operations on s, which must be empty: the first
// PutIfAbsent wins and later ones get its value; JoinAdd counts distinct
// indexes and keeps the first value of each; JoinGet returns them all,
// and nothing for a missing record.
func Contract(t *testing.T, s jlrt.Store) {
	t.Helper()
	ctx := context.Background()
	if _, ok, err := s.Get(ctx, "k"); ok || err != nil {
		t.Errorf("Get of a missing key = %v %v, want not found", ok, err)
	}
	v, ours, err := s.PutIfAbsent(ctx, "k", []byte("first"), time.Hour)
	if err != nil || !ours || string(v) != "first" {
		t.Errorf("first PutIfAbsent = %q %v %v", v, ours, err)
	}
	v, ours, err = s.PutIfAbsent(ctx, "k", []byte("second"), time.Hour)
	if err != nil || ours || string(v) != "first" {
		t.Errorf("second PutIfAbsent = %q %v %v, want the first value kept", v, ours, err)
	}
	if got, ok, err := s.Get(ctx, "k"); err != nil || !ok || string(got) != "first" {
		t.Errorf("Get = %q %v %v", got, ok, err)
	}
	for i, idx := range []int{2, 0, 2, 1} {
		n, err := s.JoinAdd(ctx, "j", idx, []byte{byte('a' + i)}, time.Hour)
		if want := []int{1, 2, 2, 3}[i]; err != nil || n != want {
			t.Errorf("JoinAdd #%d = %d %v, want %d", i, n, err, want)
		}
	}
	rec, err := s.JoinGet(ctx, "j")
	want := map[int][]byte{2: []byte("a"), 0: []byte("b"), 1: []byte("d")}
	if err != nil || !maps.EqualFunc(rec, want, bytes.Equal) {
		t.Errorf("JoinGet = %v %v, want the first value of each index %v", rec, err, want)
	}
	if rec, err := s.JoinGet(ctx, "missing"); err != nil || len(rec) != 0 {
		t.Errorf("JoinGet of a missing record = %v %v, want empty", rec, err)
	}
}

// BatchSize is how many values Batch reads at once: more than one request
// of DynamoDB's BatchGetItem or TableStore's BatchGetRow holds (100 each).
const BatchSize = 250

// Batch checks GetMany on s: BatchSize values, empty and binary ones
// among them, read in one call with as many missing keys, repeated keys
// and a key that names only a join record, come back each under its own
// key, and nothing else does; no keys read nothing.
func Batch(t *testing.T, s jlrt.Store) {
	t.Helper()
	ctx := context.Background()
	want := map[string][]byte{}
	var keys []string
	for i := range BatchSize {
		k := fmt.Sprintf("batch/%d", i)
		v := fmt.Appendf(nil, "value %d", i)
		switch i {
		case 7:
			v = []byte{}
		case 8:
			v = []byte{0, 0xff, '\n'}
		}
		if _, _, err := s.PutIfAbsent(ctx, k, v, time.Hour); err != nil {
			t.Fatalf("PutIfAbsent %s: %v", k, err)
		}
		want[k] = v
		keys = append(keys, fmt.Sprintf("batch/missing/%d", i), k)
	}
	if _, err := s.JoinAdd(ctx, "batch/join", 0, []byte("j"), time.Hour); err != nil {
		t.Fatalf("JoinAdd: %v", err)
	}
	keys = append(keys, "batch/3", "batch/join", "batch/3")
	got, err := s.GetMany(ctx, keys)
	if err != nil {
		t.Fatalf("GetMany of %d keys: %v", len(keys), err)
	}
	if len(got) != len(want) {
		t.Errorf("GetMany returned %d values, want %d", len(got), len(want))
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || !bytes.Equal(g, v) {
			t.Errorf("GetMany[%s] = %q %v, want %q", k, g, ok, v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("GetMany returned %s, which holds no value", k)
		}
	}
	if got, err := s.GetMany(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("GetMany of no keys = %v %v, want nothing", got, err)
	}
}

// Values checks what the contract leaves implicit, on an empty s: binary
// and empty values round-trip, and a value and a join record with the
// same key do not collide.
func Values(t *testing.T, s jlrt.Store) {
	t.Helper()
	ctx := context.Background()
	bin := []byte{0, 0xff, '\n', 0x80, 0}
	if _, ours, err := s.PutIfAbsent(ctx, "bin", bin, time.Hour); err != nil || !ours {
		t.Fatalf("PutIfAbsent = %v %v", ours, err)
	}
	if got, ok, _ := s.Get(ctx, "bin"); !ok || !slices.Equal(got, bin) {
		t.Errorf("Get = %q %v, want %q", got, ok, bin)
	}
	s.PutIfAbsent(ctx, "empty", nil, time.Hour)
	if v, ours, err := s.PutIfAbsent(ctx, "empty", []byte("x"), time.Hour); err != nil ||
		ours || len(v) != 0 {
		t.Errorf("PutIfAbsent over an empty value = %q %v %v, want it kept", v, ours, err)
	}
	if n, err := s.JoinAdd(ctx, "bin", 7, bin, time.Hour); err != nil || n != 1 {
		t.Errorf("JoinAdd on a key that names a value = %d %v, want 1", n, err)
	}
	if rec, _ := s.JoinGet(ctx, "bin"); !slices.Equal(rec[7], bin) {
		t.Errorf("JoinGet = %v, want index 7 = %v", rec, bin)
	}
	if got, ok, _ := s.Get(ctx, "bin"); !ok || !slices.Equal(got, bin) {
		t.Errorf("Get after a JoinAdd on the same key = %q %v", got, ok)
	}
}

// Race runs callers goroutines at once on s, each putting its own value
// under key and adding it under index caller%indexes to the join record
// key: exactly one put wins and every caller sees the winner's value;
// every count from 1 to indexes is handed out, the first only to callers
// of one index; the record ends with one value per index, each from a
// caller of that index.
func Race(t *testing.T, s jlrt.Store, key string, callers, indexes int) {
	t.Helper()
	ctx := context.Background()
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		wins   []int
		seen   = map[string]int{}
		counts = map[int]int{}
	)
	for i := range callers {
		wg.Go(func() {
			v, ours, err := s.PutIfAbsent(ctx, key, []byte{byte(i)}, time.Hour)
			n, jerr := s.JoinAdd(ctx, key, i%indexes, []byte{byte(i)}, time.Hour)
			mu.Lock()
			defer mu.Unlock()
			if err != nil || jerr != nil {
				t.Errorf("caller %d: %v %v", i, err, jerr)
				return
			}
			if ours {
				wins = append(wins, i)
			}
			seen[string(v)]++
			counts[n]++
		})
	}
	wg.Wait()
	if len(wins) != 1 {
		t.Fatalf("%d writers won PutIfAbsent (%v), want 1", len(wins), wins)
	}
	if seen[string([]byte{byte(wins[0])})] != callers {
		t.Errorf("callers saw the values %v, want all %d the winner's", seen, callers)
	}
	for n := 1; n <= indexes; n++ {
		if counts[n] == 0 {
			t.Errorf("no JoinAdd returned the count %d: counts %v", n, counts)
		}
	}
	// Callers that add the first index again see the count 1 too, so at
	// most the callers of one index do.
	if counts[1] > callers/indexes {
		t.Errorf("%d JoinAdds returned 1, want at most the %d callers of the first index",
			counts[1], callers/indexes)
	}
	rec, err := s.JoinGet(ctx, key)
	if err != nil || len(rec) != indexes {
		t.Fatalf("join holds %d indexes (%v), want %d", len(rec), err, indexes)
	}
	for idx, v := range rec {
		if len(v) != 1 || int(v[0])%indexes != idx {
			t.Errorf("index %d holds %v, from a caller of another index", idx, v)
		}
	}
}

// Bench measures each operation of s, one round trip at a time, as a
// function instance makes them: Get of a present key, a PutIfAbsent that
// writes and one that finds the key taken, a JoinAdd of a new index, and
// a JoinGet of a record of 16 branch outputs, and a GetMany of 16 values.
// Values are 256 bytes, the size of a small checkpoint.
func Bench(b *testing.B, s jlrt.Store) {
	ctx := context.Background()
	value := bytes.Repeat([]byte("v"), 256)
	prefix := fmt.Sprintf("bench-%d", time.Now().UnixNano())
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	_, _, err := s.PutIfAbsent(ctx, prefix+"/present", value, time.Hour)
	must(err)
	var many []string
	for i := range 16 {
		_, err := s.JoinAdd(ctx, prefix+"/join16", i, value, time.Hour)
		must(err)
		many = append(many, fmt.Sprintf("%s/many/%d", prefix, i))
		_, _, err = s.PutIfAbsent(ctx, many[i], value, time.Hour)
		must(err)
	}
	b.Run("Get", func(b *testing.B) {
		for b.Loop() {
			_, _, err := s.Get(ctx, prefix+"/present")
			must(err)
		}
	})
	b.Run("PutIfAbsent/new", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			_, _, err := s.PutIfAbsent(ctx, fmt.Sprintf("%s/new/%d", prefix, i), value, time.Hour)
			must(err)
		}
	})
	b.Run("PutIfAbsent/taken", func(b *testing.B) {
		for b.Loop() {
			_, _, err := s.PutIfAbsent(ctx, prefix+"/present", value, time.Hour)
			must(err)
		}
	})
	b.Run("JoinAdd", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			_, err := s.JoinAdd(ctx, fmt.Sprintf("%s/join/%d", prefix, i/64), i%64, value,
				time.Hour)
			must(err)
		}
	})
	b.Run("JoinGet16", func(b *testing.B) {
		for b.Loop() {
			_, err := s.JoinGet(ctx, prefix+"/join16")
			must(err)
		}
	})
	b.Run("GetMany16", func(b *testing.B) {
		for b.Loop() {
			got, err := s.GetMany(ctx, many)
			must(err)
			if len(got) != len(many) {
				b.Fatalf("GetMany read %d of %d values", len(got), len(many))
			}
		}
	})
}
