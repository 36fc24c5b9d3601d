package local

import (
	"context"
	"encoding/binary"
	"fmt"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// BoltStore is a store in a bbolt file, for a jointcloud whose records
// outlive the process. Values carry their expiry; a read ignores an
// expired value, and a write replaces it.
type BoltStore struct {
	db    *bolt.DB
	now   func() time.Time
	stats *Stats
}

var _ jlrt.Store = (*BoltStore)(nil)

var (
	valuesBucket = []byte("values")
	joinsBucket  = []byte("joins")
)

// OpenBoltStore opens (or creates) the store in the file path. now is the
// clock that expiry is measured with.
func OpenBoltStore(path string, now func() time.Time, stats *Stats) (*BoltStore, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(valuesBucket); err != nil {
			return err
		}
		_, err := tx.CreateBucketIfNotExists(joinsBucket)
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return &BoltStore{db: db, now: now, stats: stats}, nil
}

// Close closes the file.
func (s *BoltStore) Close() error { return s.db.Close() }

// record prefixes a value with its expiry, in Unix nanoseconds.
func (s *BoltStore) record(value []byte, ttl time.Duration) []byte {
	b := make([]byte, 8+len(value))
	binary.BigEndian.PutUint64(b, uint64(s.now().Add(ttl).UnixNano()))
	copy(b[8:], value)
	return b
}

// live returns the value of a record that has not expired.
func (s *BoltStore) live(rec []byte) ([]byte, bool) {
	if len(rec) < 8 || int64(binary.BigEndian.Uint64(rec)) < s.now().UnixNano() {
		return nil, false
	}
	return append([]byte(nil), rec[8:]...), true
}

// Get returns the value of key.
func (s *BoltStore) Get(ctx context.Context, key string) ([]byte, bool, error) {
	atomic.AddInt64(&s.stats.StoreReads, 1)
	var v []byte
	var ok bool
	err := s.db.View(func(tx *bolt.Tx) error {
		v, ok = s.live(tx.Bucket(valuesBucket).Get([]byte(key)))
		return nil
	})
	return v, ok, err
}

// GetMany returns the live values of those of keys that have one, read in
// one transaction and counted as one read.
func (s *BoltStore) GetMany(ctx context.Context, keys []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	atomic.AddInt64(&s.stats.StoreReads, 1)
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(valuesBucket)
		for _, k := range keys {
			if v, ok := s.live(b.Get([]byte(k))); ok {
				out[k] = v
			}
		}
		return nil
	})
	return out, err
}

// PutIfAbsent stores value under key unless a live value is there.
func (s *BoltStore) PutIfAbsent(ctx context.Context, key string, value []byte,
	ttl time.Duration) ([]byte, bool, error) {
	atomic.AddInt64(&s.stats.StoreWrites, 1)
	stored, ours := value, true
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(valuesBucket)
		if v, ok := s.live(b.Get([]byte(key))); ok {
			stored, ours = v, false
			return nil
		}
		return b.Put([]byte(key), s.record(value, ttl))
	})
	if ours && err == nil {
		atomic.AddInt64(&s.stats.BytesMoved, int64(len(value)))
	}
	return stored, ours, err
}

// JoinAdd adds value under index to the join record key, in one
// transaction, and returns how many indexes the record holds.
func (s *BoltStore) JoinAdd(ctx context.Context, key string, index int, value []byte,
	ttl time.Duration) (int, error) {
	atomic.AddInt64(&s.stats.StoreWrites, 1)
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.Bucket(joinsBucket).CreateBucketIfNotExists([]byte(key))
		if err != nil {
			return err
		}
		k := binary.BigEndian.AppendUint64(nil, uint64(index))
		if b.Get(k) == nil {
			if err := b.Put(k, s.record(value, ttl)); err != nil {
				return err
			}
			atomic.AddInt64(&s.stats.BytesMoved, int64(len(value)))
		}
		n = 0
		c := b.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			n++
		}
		return nil
	})
	return n, err
}

// JoinGet returns the join record key.
func (s *BoltStore) JoinGet(ctx context.Context, key string) (map[int][]byte, error) {
	atomic.AddInt64(&s.stats.StoreReads, 1)
	out := map[int][]byte{}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(joinsBucket).Bucket([]byte(key))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			if val, ok := s.live(v); ok {
				out[int(binary.BigEndian.Uint64(k))] = val
			}
			return nil
		})
	})
	return out, err
}
