// Package pause waits in the shims' retry loops without outliving their
// callers' contexts.
package pause

import (
	"context"
	"time"
)

// For waits d, or returns ctx's error as soon as ctx is done.
func For(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
