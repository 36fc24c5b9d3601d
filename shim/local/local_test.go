package local_test

import (
	"context"
	"encoding/json"
	"strings"
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

// TestLargePayloadsTravelAsBlobs sends inputs over the inline limit: they
// go to the receiving cloud's blob store and the outcome is unchanged.
func TestLargePayloadsTravelAsBlobs(t *testing.T) {
	tasks := stubs{
		"GetCustomer": map[string]any{"Item": map[string]any{"name": "Ada"}},
		"CheckStock":  map[string]any{"available": true},
	}
	wf := parallelbranches.New(parallelbranches.DefaultTasks(tasks))
	j := local.New(wf, "aws", "aliyun")
	j.SetInlineLimit(256)
	big := strings.Repeat("x", 1000)
	r, err := j.Run(context.Background(), "e1",
		decode(t, `{"order": {"id": 7, "customer": "`+big+`"}}`))
	if err != nil || r.Status != "SUCCEEDED" {
		t.Fatalf("run: %v %+v", err, r)
	}
	if n := j.Blobs("aws").Len(); n == 0 {
		t.Error("no input went through the blob store")
	}
}

// TestBoltJointcloud runs a workflow with its records in bbolt files.
func TestBoltJointcloud(t *testing.T) {
	tasks := stubs{
		"GetCustomer": map[string]any{"Item": map[string]any{"name": "Ada"}},
		"CheckStock":  map[string]any{"available": false},
	}
	wf := parallelbranches.New(parallelbranches.DefaultTasks(tasks))
	j := local.New(wf, "aws", "aliyun")
	if err := j.UseBolt(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	r, err := j.Run(context.Background(), "e1", decode(t, `{"order": {"id": 7, "customer": "c"}}`))
	if err != nil {
		t.Fatal(err)
	}
	// CheckStock says no: the branch fails with OutOfStock, which the
	// Parallel state's Catch sends to Backorder.
	if r.Status != "SUCCEEDED" {
		t.Fatalf("status %s: %s %s", r.Status, r.Error, r.Cause)
	}
	want := decode(t, `{"order": {"id": 7, "customer": "c"},
		"error": {"Error": "OutOfStock", "Cause": ""}}`)
	if diff := cmp.Diff(want, decode(t, string(r.Output))); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

func decodeB(b *testing.B, s string) any {
	b.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		b.Fatal(err)
	}
	return v
}
