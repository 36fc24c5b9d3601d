package local_test

import (
	"context"
	"testing"
	"time"

	waitallforms "github.com/jointlambda/jlgen/golden/wait-all-forms"
	jlrt "github.com/jointlambda/jlgen/runtime"
	"github.com/jointlambda/jlgen/shim/local"
)

// limited is an invoker whose platform holds a delayed invocation for at
// most max, as Function Compute's does for an hour.
type limited struct {
	jlrt.Invoker
	max     time.Duration
	longest time.Duration
}

func (v *limited) MaxDelay() time.Duration { return v.max }

func (v *limited) InvokeAfter(ctx context.Context, unit string, payload []byte,
	d time.Duration) error {
	v.longest = max(v.longest, d)
	return v.Invoker.InvokeAfter(ctx, unit, payload, d)
}

// TestLongWaitInSteps runs Wait states of up to 72 days on a cloud whose
// invoker holds a delay for at most an hour: the waits are made of
// one-hour steps, and the execution ends as it does on an invoker with no
// limit, at the same virtual time.
func TestLongWaitInSteps(t *testing.T) {
	ctx := context.Background()
	input := `{"delay": 30, "at": "2026-03-14T05:00:00Z", "schedule": {"x": 1}}`
	run := func(limit time.Duration) (*jlrt.Result, local.Stats, *limited) {
		j := local.New(waitallforms.New(nil), "aws")
		var lim *limited
		if limit > 0 {
			cl := j.Platform().Clouds["aws"]
			lim = &limited{Invoker: cl.Invoker, max: limit}
			cl.Invoker = lim
		}
		r, err := j.Run(ctx, "wait", decode(t, input))
		if err != nil {
			t.Fatal(err)
		}
		return r, j.Stats(), lim
	}
	free, freeStats, _ := run(0)
	stepped, stats, lim := run(time.Hour)
	if free.Status != "SUCCEEDED" || stepped.Status != free.Status ||
		string(stepped.Output) != string(free.Output) {
		t.Fatalf("stepped = %+v, free = %+v: want the same success", stepped, free)
	}
	if stats.MakespanMS != freeStats.MakespanMS {
		t.Errorf("stepped waits end at %d ms, free ones at %d ms", stats.MakespanMS,
			freeStats.MakespanMS)
	}
	if lim.longest > time.Hour {
		t.Errorf("the invoker was asked for a delay of %v, over its limit", lim.longest)
	}
	hours := freeStats.MakespanMS / time.Hour.Milliseconds()
	if extra := stats.Invocations - freeStats.Invocations; extra < hours-3 || extra > hours+3 {
		t.Errorf("%d extra invocations for waits of %d hours, want about one an hour",
			extra, hours)
	}
	t.Logf("waits of %d hours took %d one-hour steps", hours,
		stats.Invocations-freeStats.Invocations)
}
