package redis_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/jointlambda/jlgen/internal/storetest"
	jlredis "github.com/jointlambda/jlgen/shim/redis"
)

// testClient connects to the redis-server at JLGEN_REDIS_ADDR, and skips
// the test when the variable is not set.
func testClient(t testing.TB) *goredis.Client {
	t.Helper()
	addr := os.Getenv("JLGEN_REDIS_ADDR")
	if addr == "" {
		t.Skip("JLGEN_REDIS_ADDR is not set: .ci/run starts a redis-server " +
			"(source .ci/services.sh) and sets it")
	}
	c := goredis.NewClient(&goredis.Options{Addr: addr})
	t.Cleanup(func() { c.Close() })
	if err := c.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("ping redis-server at %s: %v", addr, err)
	}
	return c
}

// testPrefix returns a prefix that no other test or run uses, and deletes
// the keys under it when the test ends.
func testPrefix(t testing.TB, c *goredis.Client, name string) string {
	t.Helper()
	p := fmt.Sprintf("jlgen-test:%s:%s:%d", t.Name(), name, time.Now().UnixNano())
	t.Cleanup(func() {
		if keys := scanKeys(t, c, p); len(keys) > 0 {
			c.Del(context.Background(), keys...)
		}
	})
	return p
}

// scanKeys returns the keys under prefix, sorted.
func scanKeys(t testing.TB, c *goredis.Client, prefix string) []string {
	t.Helper()
	var keys []string
	iter := c.Scan(context.Background(), 0, prefix+":*", 100).Iterator()
	for iter.Next(context.Background()) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Fatalf("scan %s: %v", prefix, err)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

func newStore(t testing.TB) (*jlredis.Store, *goredis.Client, string) {
	c := testClient(t)
	p := testPrefix(t, c, "store")
	return jlredis.New(c, p), c, p
}

func TestStoreContract(t *testing.T) {
	ctx := context.Background()
	s, c, p := newStore(t)
	storetest.Contract(t, s)
	// Key layout, as the package documents it.
	wantKeys := []string{p + ":j:j", p + ":v:k"}
	if keys := scanKeys(t, c, p); !slices.Equal(keys, wantKeys) {
		t.Errorf("keys %q, want %q", keys, wantKeys)
	}
	if typ := c.Type(ctx, p+":j:j").Val(); typ != "hash" {
		t.Errorf("join record is a %s, want a hash", typ)
	}
}

// TestStoreBatch reads many values with one GetMany.
func TestStoreBatch(t *testing.T) {
	s, _, _ := newStore(t)
	storetest.Batch(t, s)
}

// TestStoreValues checks what the contract leaves implicit: binary and
// empty values round-trip, and values and join records do not collide.
func TestStoreValues(t *testing.T) {
	s, _, _ := newStore(t)
	storetest.Values(t, s)
}

func TestStoreExpiry(t *testing.T) {
	ctx := context.Background()
	s, c, p := newStore(t)
	const ttl = 200 * time.Millisecond
	s.PutIfAbsent(ctx, "k", []byte("old"), ttl)
	s.JoinAdd(ctx, "j", 0, []byte("a"), ttl)
	s.PutIfAbsent(ctx, "forever", []byte("v"), 0)
	s.PutIfAbsent(ctx, "tiny", []byte("v"), time.Microsecond)
	for _, k := range []string{":v:k", ":j:j"} {
		if d := c.PTTL(ctx, p+k).Val(); d <= 0 || d > ttl {
			t.Errorf("%s expires in %v, want (0, %v]", k, d, ttl)
		}
	}
	if d := c.PTTL(ctx, p+":v:forever").Val(); d != -1 {
		t.Errorf("a value stored with no ttl has PTTL %v, want -1 (none)", d)
	}
	if d := c.PTTL(ctx, p+":v:tiny").Val(); d == -1 {
		t.Error("a ttl under a millisecond became no expiry")
	}
	if _, ok, _ := s.Get(ctx, "k"); !ok {
		t.Fatal("the value is gone before its ttl")
	}
	deadline := time.Now().Add(10 * ttl)
	for {
		_, ok, err := s.Get(ctx, "k")
		rec, jerr := s.JoinGet(ctx, "j")
		if err != nil || jerr != nil {
			t.Fatal(err, jerr)
		}
		many, merr := s.GetMany(ctx, []string{"k", "forever"})
		if merr != nil {
			t.Fatal(merr)
		}
		if !ok && len(rec) == 0 {
			if _, ok := many["k"]; ok || len(many) != 1 {
				t.Errorf("GetMany after the ttl = %q, want forever alone", many)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still there %v after a ttl of %v: value %v, join record %v",
				10*ttl, ttl, ok, rec)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, ours, _ := s.PutIfAbsent(ctx, "k", []byte("new"), ttl); !ours {
		t.Error("an expired value blocked a new write")
	}
	if _, ok, _ := s.Get(ctx, "forever"); !ok {
		t.Error("the value stored with no ttl expired")
	}
}

// TestStoreConcurrentCallers races duplicate writers from many goroutines:
// exactly one PutIfAbsent wins and every loser reads the winner's value,
// and JoinAdd counts each index once, handing out each count once.
func TestStoreConcurrentCallers(t *testing.T) {
	s, _, _ := newStore(t)
	storetest.Race(t, s, "race", 64, 8)
}

// BenchmarkStore measures the store's operations against the redis-server
// at JLGEN_REDIS_ADDR.
func BenchmarkStore(b *testing.B) {
	s, _, _ := newStore(b)
	storetest.Bench(b, s)
}
