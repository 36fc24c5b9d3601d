package redis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// Store is the protocol's store on a Redis server or cluster. It keeps no
// state of its own, so one Store serves any number of goroutines.
type Store struct {
	client goredis.UniversalClient
	prefix string
}

var _ jlrt.Store = (*Store)(nil)

// New returns a store that keeps its records on client, under keys that
// start with prefix: one prefix per workflow deployment keeps deployments
// that share a server apart. An empty prefix leaves keys unprefixed.
func New(client goredis.UniversalClient, prefix string) *Store {
	if prefix != "" {
		prefix += ":"
	}
	return &Store{client: client, prefix: prefix}
}

// putIfAbsent writes ARGV[1] under KEYS[1] unless the key holds a value,
// with an expiry of ARGV[2] milliseconds unless that is 0. It returns {1}
// when it wrote, and {0, value} with the value already there when not.
var putIfAbsent = goredis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur then
	return {0, cur}
end
if ARGV[2] == '0' then
	redis.call('SET', KEYS[1], ARGV[1])
else
	redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return {1}
`)

// joinAdd sets field ARGV[1] of the join hash KEYS[1] to ARGV[2] unless
// the field is set, renews the hash's expiry to ARGV[3] milliseconds unless
// that is 0, and returns how many fields the hash holds.
var joinAdd = goredis.NewScript(`
redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
if ARGV[3] ~= '0' then
	redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return redis.call('HLEN', KEYS[1])
`)

// Get returns the value of key, and whether there is one: one GET.
func (s *Store) Get(ctx context.Context, key string) ([]byte, bool, error) {
	v, err := s.client.Get(ctx, s.valueKey(key)).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("redis get %q: %w", key, err)
	}
	return v, true, nil
}

// GetMany returns the values of those of keys that have one: one pipeline
// of GETs, so one round trip to a single server, and one per shard the
// keys fall on in a cluster, where a multi-key MGET would be refused.
func (s *Store) GetMany(ctx context.Context, keys []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	cmds := make([]*goredis.StringCmd, len(keys))
	_, err := s.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.Get(ctx, s.valueKey(k))
		}
		return nil
	})
	if err != nil && !errors.Is(err, goredis.Nil) {
		return nil, fmt.Errorf("redis get-many of %d keys: %w", len(keys), err)
	}
	for i, cmd := range cmds {
		v, err := cmd.Bytes()
		if errors.Is(err, goredis.Nil) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("redis get-many %q: %w", keys[i], err)
		}
		out[keys[i]] = v
	}
	return out, nil
}

// PutIfAbsent stores value under key for ttl unless key has a value, and
// returns the value now stored and whether it is the one given. It is one
// script, so one round trip whether it wins or loses. A ttl of zero or
// less keeps the value until it is deleted.
func (s *Store) PutIfAbsent(ctx context.Context, key string, value []byte,
	ttl time.Duration) ([]byte, bool, error) {
	res, err := putIfAbsent.Run(ctx, s.client, []string{s.valueKey(key)}, value,
		millis(ttl)).Slice()
	if err != nil {
		return nil, false, fmt.Errorf("redis put-if-absent %q: %w", key, err)
	}
	if len(res) == 1 {
		return value, true, nil
	}
	if len(res) == 2 {
		if cur, ok := res[1].(string); ok {
			return []byte(cur), false, nil
		}
	}
	return nil, false, fmt.Errorf("redis put-if-absent %q: unexpected reply %v", key, res)
}

// JoinAdd sets index of the join record key to value unless the index is
// in already, renews the record's ttl, and returns how many distinct
// indexes the record holds: one script, atomic, one round trip.
func (s *Store) JoinAdd(ctx context.Context, key string, index int, value []byte,
	ttl time.Duration) (int, error) {
	n, err := joinAdd.Run(ctx, s.client, []string{s.joinKey(key)}, index, value,
		millis(ttl)).Int()
	if err != nil {
		return 0, fmt.Errorf("redis join-add %q index %d: %w", key, index, err)
	}
	return n, nil
}

// JoinGet returns the values of the join record key by index: one
// HGETALL. A record that does not exist is empty.
func (s *Store) JoinGet(ctx context.Context, key string) (map[int][]byte, error) {
	fields, err := s.client.HGetAll(ctx, s.joinKey(key)).Result()
	if err != nil {
		return nil, fmt.Errorf("redis join-get %q: %w", key, err)
	}
	rec := make(map[int][]byte, len(fields))
	for f, v := range fields {
		index, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("redis join-get %q: field %q is not an index", key, f)
		}
		rec[index] = []byte(v)
	}
	return rec, nil
}

// valueKey is the Redis key of the value key.
func (s *Store) valueKey(key string) string { return s.prefix + "v:" + key }

// joinKey is the Redis key of the hash of the join record key.
func (s *Store) joinKey(key string) string { return s.prefix + "j:" + key }

// millis is ttl in whole milliseconds as the scripts take it: rounded up,
// so that a short ttl does not become none, and 0 for no expiry.
func millis(ttl time.Duration) int64 {
	if ttl <= 0 {
		return 0
	}
	return int64((ttl + time.Millisecond - 1) / time.Millisecond)
}
