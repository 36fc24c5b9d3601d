package local_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	parallelbranches "github.com/jointlambda/jlgen/golden/parallel-branches"
	jlrt "github.com/jointlambda/jlgen/runtime"
	"github.com/jointlambda/jlgen/shim/local"
)

// stubs answers every Task state from a map of state name to result.
type stubs map[string]any

func (s stubs) Call(ctx context.Context, r jlrt.Resource, input any) (any, error) {
	if v, ok := s[r.State]; ok {
		if err, ok := v.(error); ok {
			return nil, err
		}
		return v, nil
	}
	return nil, &jlrt.StateError{Name: "NoStub", Cause: r.State}
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParallelBranchesRun(t *testing.T) {
	tasks := stubs{
		"GetCustomer": map[string]any{"Item": map[string]any{"name": "Ada"}},
		"CheckStock":  map[string]any{"available": true},
	}
	wf := parallelbranches.New(parallelbranches.DefaultTasks(tasks))
	j := local.New(wf, "aws", "aliyun")
	r, err := j.Run(context.Background(), "e1",
		decode(t, `{"order": {"id": 7, "customer": "c1"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != "SUCCEEDED" {
		t.Fatalf("status %s: %s %s", r.Status, r.Error, r.Cause)
	}
	want := decode(t, `{"customer": {"name": "Ada"}, "stock": {"available": true}}`)
	if diff := cmp.Diff(want, decode(t, string(r.Output))); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	t.Logf("stats %+v", j.Stats())
}
