package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jointlambda/jlgen/config"
	jcf "github.com/jointlambda/jlgen/golden/jointcloud-failover"
	jlrt "github.com/jointlambda/jlgen/runtime"
	"github.com/jointlambda/jlgen/shim/local"
)

// httpInvoker starts units by POSTing their envelopes to a Function
// Compute custom runtime's /invoke, in the background, as Function
// Compute's asynchronous front does; it records every answer that is not
// 200.
type httpInvoker struct {
	url  string
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []string
}

func (v *httpInvoker) Invoke(ctx context.Context, unit string, payload []byte) error {
	return v.InvokeAfter(ctx, unit, payload, 0)
}

func (v *httpInvoker) InvokeAfter(_ context.Context, unit string, payload []byte,
	d time.Duration) error {
	v.wg.Add(1)
	time.AfterFunc(d, func() {
		defer v.wg.Done()
		req, _ := http.NewRequest(http.MethodPost, v.url+"/invoke", bytes.NewReader(payload))
		req.Header.Set("x-fc-request-id", unit)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("%s: %s", resp.Status, body)
			}
		}
		if err != nil {
			v.mu.Lock()
			v.errs = append(v.errs, unit+": "+err.Error())
			v.mu.Unlock()
		}
	})
	return nil
}

// countingBlobs counts the blobs written.
type countingBlobs struct {
	jlrt.Blobs
	puts atomic.Int64
}

func (b *countingBlobs) PutIfAbsent(ctx context.Context, key string, data []byte) error {
	b.puts.Add(1)
	return b.Blobs.PutIfAbsent(ctx, key, data)
}

// echo answers every Task with its input.
type echo struct{}

func (echo) Call(_ context.Context, _ jlrt.Resource, input any) (any, error) { return input, nil }

// TestFCHandler drives the custom-runtime handler over HTTP as Function
// Compute calls it: a start request, then each unit's envelope POSTed to
// /invoke, until the execution's result is written; and it checks what
// the handler answers to events it cannot run.
func TestFCHandler(t *testing.T) {
	var stats local.Stats
	inv := &httpInvoker{}
	blobs := &countingBlobs{Blobs: local.NewBlobs(&stats)}
	p := &jlrt.Platform{Clouds: map[string]*jlrt.Cloud{}, Now: time.Now, TTL: time.Hour}
	for _, name := range []string{"aws", "aliyun"} {
		// An inline limit of 2 KB sends the larger envelopes through the
		// blob store.
		p.Clouds[name] = &jlrt.Cloud{Name: name, Store: local.NewStore(&stats),
			Blobs: blobs, Invoker: inv, InlineLimit: 2048}
	}
	b := &Backend{Platform: p, Resources: echo{}, cloud: "aliyun",
		provider: config.ProviderAliyun}
	wf := jcf.New(jcf.DefaultTasks(b.Resources))
	srv := httptest.NewServer(b.FCHandler(wf))
	defer srv.Close()
	inv.url = srv.URL

	// post answers the status of an invocation as Function Compute reads
	// it: from x-fc-status, which must agree with the HTTP status.
	post := func(path, body string) (int, string) {
		t.Helper()
		resp, err := http.Post(srv.URL+path, "application/octet-stream", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if got := resp.Header.Get("x-fc-status"); got != strconv.Itoa(resp.StatusCode) {
			t.Errorf("POST %s %s answered %d with x-fc-status %q", path, body,
				resp.StatusCode, got)
		}
		return resp.StatusCode, string(b)
	}
	if code, _ := post("/initialize", ""); code != http.StatusOK {
		t.Errorf("POST /initialize = %d, want 200", code)
	}
	for _, c := range []struct{ body, want string }{
		{`not json`, "decode event"},
		{`{"unit": "task:Nope", "execution": {"id": "x"}}`, `has no unit "task:Nope"`},
		{`{"startExecution": {"input": {}}}`, "needs a name"},
		{`{"Records": [{"eventSource": "aws:sqs"}]}`, "SQS event reached a Function Compute"},
	} {
		if code, body := post("/invoke", c.body); code != http.StatusNotFound ||
			!strings.Contains(body, c.want) {
			t.Errorf("POST /invoke %s = %d %q, want 404 with %q", c.body, code, body, c.want)
		}
	}

	input := fmt.Sprintf(`{"order": 3, "items": [5], "note": %q}`, strings.Repeat("a,", 700))
	code, body := post("/invoke", `{"startExecution": {"name": "fc-1", "input": `+input+`}}`)
	var started Started
	if code != http.StatusOK || json.Unmarshal([]byte(body), &started) != nil {
		t.Fatalf("start = %d %s", code, body)
	}
	inv.wg.Wait()
	if len(inv.errs) > 0 {
		t.Fatalf("invocations failed:\n%s", strings.Join(inv.errs, "\n"))
	}
	r, ok, err := jlrt.ReadResult(context.Background(), p, wf, started.ExecutionID)
	want := `{"doubled":[{"v":10}],"fan":[{"total":103},{"tier":"gold"}],"noteLength":700,` +
		`"order":3,"quote":{"order":3}}`
	if err != nil || !ok || r.Status != "SUCCEEDED" || string(r.Output) != want {
		t.Fatalf("result = %+v %v %v, want SUCCEEDED %s", r, ok, err, want)
	}
	code, body = post("/invoke", `{"describeExecution": {"executionId": "`+
		started.ExecutionID+`"}}`)
	var d Description
	if code != http.StatusOK || json.Unmarshal([]byte(body), &d) != nil ||
		d.Status != "SUCCEEDED" || string(d.Output) != want {
		t.Errorf("describe = %d %s, want SUCCEEDED with %s", code, body, want)
	}
	code, body = post("/invoke", `{"describeExecution": {"executionId": "jlgen:nope:x"}}`)
	if code != http.StatusOK || !strings.Contains(body, `"status":"RUNNING"`) {
		t.Errorf("describe of an execution with no result = %d %s, want RUNNING", code, body)
	}
	if blobs.puts.Load() == 0 {
		t.Errorf("no envelope went through the blob store, though larger than the limit")
	}
	// A second start of the same name starts nothing new.
	writes := atomic.LoadInt64(&stats.StoreWrites)
	post("/invoke", `{"startExecution": {"name": "fc-1", "input": `+input+`}}`)
	inv.wg.Wait()
	if n := atomic.LoadInt64(&stats.StoreWrites) - writes; n != 0 {
		t.Errorf("starting fc-1 again wrote %d records", n)
	}
}
