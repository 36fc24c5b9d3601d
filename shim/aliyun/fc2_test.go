package aliyun

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	fc2 "github.com/aliyun/fc-go-sdk"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// The static key the tests sign FC 2.0 requests with.
const (
	fc2KeyID     = "jlgen"
	fc2KeySecret = "jlgen-secret"
)

// fakeFC2 is an httptest handler that answers InvokeFunction as Function
// Compute 2.0 does for an asynchronous invocation, 202 with no body, and
// records the requests it gets. status, when not zero, is the status of
// every answer, with an error document of code. hold, when not nil, holds
// every answer until it is closed.
type fakeFC2 struct {
	mu     sync.Mutex
	reqs   []fcRequest
	status int
	code   string
	hold   chan struct{}
}

func (f *fakeFC2) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.reqs = append(f.reqs, fcRequest{r.Method, r.URL.Path, r.Header.Clone(), string(body)})
	status, code, hold := f.status, f.code, f.hold
	f.mu.Unlock()
	if hold != nil {
		<-hold
	}
	w.Header().Set("X-Fc-Request-Id", "r1")
	if status != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"ErrorCode":%q,"ErrorMessage":"%s from the test"}`, code, code)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// take returns the requests so far and forgets them.
func (f *fakeFC2) take() []fcRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	reqs := f.reqs
	f.reqs = nil
	return reqs
}

// newFC2Client returns a Function Compute 2.0 client that sends plain
// HTTP to the test server at url, signed with a static key.
func newFC2Client(t *testing.T, url string) *fc2.Client {
	t.Helper()
	client, err := fc2.NewClient(url, "2016-08-15", fc2KeyID, fc2KeySecret)
	if err != nil {
		t.Fatalf("new fc2 client: %v", err)
	}
	return client
}

// checkFC2Signed checks that r carries a Date of now and the FC 2.0
// signature, by the test's key, of its method, path, Content-MD5,
// Content-Type, Date and x-fc- headers, as Function Compute recomputes it,
// and the body's MD5 (in hex, as the 2.0 SDK writes it).
func checkFC2Signed(t *testing.T, r fcRequest) {
	t.Helper()
	date, err := http.ParseTime(r.header.Get("Date"))
	if err != nil {
		t.Errorf("Date %q: %v", r.header.Get("Date"), err)
	} else if d := time.Since(date); d < -time.Minute || d > time.Minute {
		t.Errorf("Date %v is %v away from now", date, d)
	}
	flat := map[string]string{}
	for k := range r.header {
		flat[k] = r.header.Get(k)
	}
	want := fc2.GetAuthStr(fc2KeyID, fc2KeySecret, r.method, flat, r.path)
	auth := r.header.Get("Authorization")
	if !strings.HasPrefix(auth, "FC "+fc2KeyID+":") || auth != want {
		t.Errorf("Authorization %q, want the signature %q", auth, want)
	}
	if r.body != "" {
		sum := md5.Sum([]byte(r.body))
		if got, want := r.header.Get("Content-MD5"), hex.EncodeToString(sum[:]); got != want {
			t.Errorf("Content-MD5 %q, want %q", got, want)
		}
	}
}

// TestFC2InvokerRequestShape checks, against an httptest server rather
// than Function Compute (no emulator is at hand), the requests FC2Invoker
// sends through the 2.0 SDK: a signed POST to the unit's function's
// invocations in the service with X-Fc-Invocation-Type: Async and the
// payload as the body; a delay as a signed x-fc-async-delay in whole
// seconds.
func TestFC2InvokerRequestShape(t *testing.T) {
	ctx := context.Background()
	fake := &fakeFC2{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	name := func(unit string) string { return "fn-" + strings.ReplaceAll(unit, ":", "_") }
	inv := NewFC2Invoker(newFC2Client(t, srv.URL), "orders", name)
	payload := `{"unit":"task:Charge","input":{"order":7}}`

	if err := inv.Invoke(ctx, "task:Charge", []byte(payload)); err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	reqs := fake.take()
	if len(reqs) != 1 {
		t.Fatalf("Invoke sent %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	const path = "/2016-08-15/services/orders/functions/fn-task_Charge/invocations"
	if r.method != http.MethodPost || r.path != path {
		t.Errorf("request %s %s, want POST %s", r.method, r.path, path)
	}
	if got := r.header.Get("X-Fc-Invocation-Type"); got != "Async" {
		t.Errorf("X-Fc-Invocation-Type: %q, want Async", got)
	}
	if got := r.header.Get("X-Fc-Async-Delay"); got != "" {
		t.Errorf("Invoke sent x-fc-async-delay: %q, want none", got)
	}
	if r.body != payload {
		t.Errorf("body %q, want the payload %q", r.body, payload)
	}
	checkFC2Signed(t, r)

	err := inv.InvokeAfter(ctx, "resume:Wait", []byte(payload), 1500*time.Millisecond)
	if err != nil {
		t.Fatalf("InvokeAfter: %v", err)
	}
	r = fake.take()[0]
	if got := r.header.Get("X-Fc-Async-Delay"); got != "2" {
		t.Errorf("InvokeAfter 1.5s sent x-fc-async-delay: %q, want 2", got)
	}
	if got := r.header.Get("X-Fc-Invocation-Type"); got != "Async" {
		t.Errorf("InvokeAfter X-Fc-Invocation-Type: %q, want Async", got)
	}
	if want := "/2016-08-15/services/orders/functions/fn-resume_Wait/invocations"; r.path != want {
		t.Errorf("InvokeAfter path %s, want %s", r.path, want)
	}
	checkFC2Signed(t, r)

	err = inv.InvokeAfter(ctx, "resume:Wait", []byte(payload), time.Hour)
	if err == nil || !strings.Contains(err.Error(), "at most 59m59s") {
		t.Errorf("InvokeAfter 1h = %v, want an error naming the limit of 3599 s", err)
	}
	if n := len(fake.take()); n != 0 {
		t.Errorf("InvokeAfter 1h sent %d requests, want none", n)
	}
	if err := inv.InvokeAfter(ctx, "resume:Wait", []byte(payload), inv.MaxDelay()); err != nil {
		t.Fatalf("InvokeAfter MaxDelay: %v", err)
	}
	if got := fake.take()[0].header.Get("X-Fc-Async-Delay"); got != "3599" {
		t.Errorf("InvokeAfter MaxDelay sent x-fc-async-delay: %q, want 3599", got)
	}

	dflt := NewFC2Invoker(newFC2Client(t, srv.URL), "orders", nil)
	if err := dflt.Invoke(ctx, "task:Charge", []byte(payload)); err != nil {
		t.Fatalf("Invoke with the default names: %v", err)
	}
	want := "/2016-08-15/services/orders/functions/" + FunctionName("orders", "task:Charge") +
		"/invocations"
	if r := fake.take()[0]; r.path != want {
		t.Errorf("default function name: path %s, want %s", r.path, want)
	}
}

// TestFC2InvokerFailures checks how the answers of Function Compute 2.0
// that the failover acts on are classified, and that a context that ends
// while the SDK waits ends the call.
func TestFC2InvokerFailures(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		status int
		code   string
		want   jlrt.Failure
	}{
		{http.StatusTooManyRequests, "ResourceExhausted", jlrt.FailureThrottled},
		{http.StatusServiceUnavailable, "ResourceThrottled", jlrt.FailureThrottled},
		{http.StatusServiceUnavailable, "ServiceUnavailable", jlrt.FailureUnavailable},
		{http.StatusInternalServerError, "InternalServerError", jlrt.FailureUnavailable},
		{http.StatusNotFound, "FunctionNotFound", jlrt.FailurePermanent},
		{http.StatusForbidden, "SignatureNotMatch", jlrt.FailurePermanent},
	} {
		fake := &fakeFC2{status: tc.status, code: tc.code}
		srv := httptest.NewServer(fake)
		inv := NewFC2Invoker(newFC2Client(t, srv.URL), "orders", nil)
		err := inv.Invoke(ctx, "task:Charge", []byte("{}"))
		srv.Close()
		if got := Classify(err); got != tc.want {
			t.Errorf("%d %s: Classify(%v) = %v, want %v", tc.status, tc.code, err, got,
				tc.want)
		}
		if got, want := Retryable(err), tc.want != jlrt.FailurePermanent; got != want {
			t.Errorf("%d %s: Retryable = %v, want %v", tc.status, tc.code, got, want)
		}
		var svc *fc2.ServiceError
		if !errors.As(err, &svc) || svc.ErrorCode != tc.code {
			t.Errorf("%d %s: error %v does not wrap the SDK's ServiceError", tc.status,
				tc.code, err)
		}
	}

	srv := httptest.NewServer(&fakeFC2{})
	inv := NewFC2Invoker(newFC2Client(t, srv.URL), "orders", nil)
	srv.Close()
	err := inv.Invoke(ctx, "task:Charge", []byte("{}"))
	if got := Classify(err); got != jlrt.FailureNetwork || !Retryable(err) {
		t.Errorf("a closed server: Classify(%v) = %v, want network, retryable", err, got)
	}

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	err = inv.Invoke(canceled, "task:Charge", []byte("{}"))
	if got := Classify(err); got != jlrt.FailureCanceled || Retryable(err) {
		t.Errorf("a canceled context: Classify(%v) = %v, want canceled", err, got)
	}

	fake := &fakeFC2{hold: make(chan struct{})}
	held := httptest.NewServer(fake)
	defer held.Close()
	defer close(fake.hold)
	inv = NewFC2Invoker(newFC2Client(t, held.URL), "orders", nil)
	short, stop := context.WithTimeout(ctx, 100*time.Millisecond)
	defer stop()
	start := time.Now()
	err = inv.Invoke(short, "task:Charge", []byte("{}"))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("a held answer and a 100ms context: %v after %v, want the deadline", err,
			time.Since(start))
	}
}
