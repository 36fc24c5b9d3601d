package redis_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/jointlambda/jlgen/internal/storerun"
	jlrt "github.com/jointlambda/jlgen/runtime"
	jlredis "github.com/jointlambda/jlgen/shim/redis"
)

// TestWorkflowOnRedis runs the parallel-branches golden on the local
// jointcloud with every cloud's store on Redis, then delivers every
// invocation again: the records do not change and no task runs twice.
func TestWorkflowOnRedis(t *testing.T) {
	c := testClient(t)
	prefixes := map[string]string{}
	storerun.Run(t, storerun.Backend{
		Store: func(t *testing.T, cloud string) jlrt.Store {
			prefixes[cloud] = testPrefix(t, c, cloud)
			return jlredis.New(c, prefixes[cloud])
		},
		Snapshot: func(t *testing.T) map[string]any {
			return snapshot(t, c, slices.Collect(maps.Values(prefixes)))
		},
		JoinRecords: joinRecords,
	})
}

// snapshot reads every record under prefixes: a value as its bytes, a
// join record as its fields.
func snapshot(t *testing.T, c *goredis.Client, prefixes []string) map[string]any {
	t.Helper()
	ctx := context.Background()
	out := map[string]any{}
	for _, p := range prefixes {
		for _, k := range scanKeys(t, c, p) {
			switch typ := c.Type(ctx, k).Val(); typ {
			case "string":
				out[k] = c.Get(ctx, k).Val()
			case "hash":
				out[k] = c.HGetAll(ctx, k).Val()
			default:
				t.Fatalf("key %s is a %s, want a string or a hash", k, typ)
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("the execution left no records on Redis")
	}
	return out
}

// joinRecords counts the join records of a snapshot.
func joinRecords(recs map[string]any) int {
	n := 0
	for _, v := range recs {
		if _, ok := v.(map[string]string); ok {
			n++
		}
	}
	return n
}
