package local

import (
	"context"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// Store is an in-memory store with the protocol's operations. Expiry is
// not enforced: a simulation ends long before any TTL.
type Store struct {
	mu     sync.Mutex
	values map[string][]byte
	joins  map[string]map[int][]byte
	stats  *Stats
}

var _ jlrt.Store = (*Store)(nil)

// NewStore returns an empty store that counts its operations in stats.
func NewStore(stats *Stats) *Store {
	return &Store{values: map[string][]byte{}, joins: map[string]map[int][]byte{}, stats: stats}
}

// Get returns the value of key.
func (s *Store) Get(ctx context.Context, key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	atomic.AddInt64(&s.stats.StoreReads, 1)
	v, ok := s.values[key]
	return v, ok, nil
}

// GetMany returns the values of those of keys that have one, counted as
// one read.
func (s *Store) GetMany(ctx context.Context, keys []string) (map[string][]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]byte, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	atomic.AddInt64(&s.stats.StoreReads, 1)
	for _, k := range keys {
		if v, ok := s.values[k]; ok {
			out[k] = v
		}
	}
	return out, nil
}

// PutIfAbsent stores value under key unless there is one already.
func (s *Store) PutIfAbsent(ctx context.Context, key string, value []byte,
	ttl time.Duration) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	atomic.AddInt64(&s.stats.StoreWrites, 1)
	if v, ok := s.values[key]; ok {
		return v, false, nil
	}
	s.values[key] = append([]byte(nil), value...)
	atomic.AddInt64(&s.stats.BytesMoved, int64(len(value)))
	return value, true, nil
}

// JoinAdd adds value under index to the join record key.
func (s *Store) JoinAdd(ctx context.Context, key string, index int, value []byte,
	ttl time.Duration) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	atomic.AddInt64(&s.stats.StoreWrites, 1)
	atomic.AddInt64(&s.stats.JoinAdds, 1)
	rec := s.joins[key]
	if rec == nil {
		rec = map[int][]byte{}
		s.joins[key] = rec
	}
	if _, ok := rec[index]; !ok {
		rec[index] = append([]byte(nil), value...)
		atomic.AddInt64(&s.stats.BytesMoved, int64(len(value)))
	}
	return len(rec), nil
}

// JoinGet returns the join record key.
func (s *Store) JoinGet(ctx context.Context, key string) (map[int][]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	atomic.AddInt64(&s.stats.StoreReads, 1)
	atomic.AddInt64(&s.stats.JoinGets, 1)
	return maps.Clone(s.joins[key]), nil
}

// Len returns the number of values and join records the store holds.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.values) + len(s.joins)
}

// Keys returns the keys of the store's values and join records, sorted,
// with the number of indexes of each join record: what a test compares to
// check that every instance was committed once.
func (s *Store) Keys() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.values)+len(s.joins))
	for k := range s.values {
		out[k] = 1
	}
	for k, rec := range s.joins {
		out[k] = len(rec)
	}
	return out
}
