package local

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// Blobs is an in-memory blob store.
type Blobs struct {
	mu    sync.Mutex
	blobs map[string][]byte
	stats *Stats
}

var _ jlrt.Blobs = (*Blobs)(nil)

// NewBlobs returns an empty blob store that counts what it moves.
func NewBlobs(stats *Stats) *Blobs {
	return &Blobs{blobs: map[string][]byte{}, stats: stats}
}

// PutIfAbsent writes data under key unless the key exists.
func (b *Blobs) PutIfAbsent(ctx context.Context, key string, data []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.blobs[key]; !ok {
		b.blobs[key] = append([]byte(nil), data...)
		atomic.AddInt64(&b.stats.BytesMoved, int64(len(data)))
	}
	return nil
}

// Get returns the blob key.
func (b *Blobs) Get(ctx context.Context, key string) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	v, ok := b.blobs[key]
	if !ok {
		return nil, fmt.Errorf("no blob %q", key)
	}
	atomic.AddInt64(&b.stats.BytesMoved, int64(len(v)))
	return v, nil
}

// Len returns the number of blobs.
func (b *Blobs) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.blobs)
}
