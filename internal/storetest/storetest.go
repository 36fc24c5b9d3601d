// Package storetest is the contract every runtime.Store meets, as tests
// that each store's package runs against a fresh store: shim/local's,
// shim/redis's and shim/aws's.
package storetest

import (
	"bytes"
	"context"
	"maps"
	"slices"
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
