package aliyun

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	fc "github.com/alibabacloud-go/fc-20230330/v4/client"
	"github.com/alibabacloud-go/tea/dara"
	fc2 "github.com/aliyun/fc-go-sdk"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// fcRequest is what fakeFC saw of one request.
type fcRequest struct {
	method, path string
	header       http.Header
	body         string
}

// fakeFC is an httptest handler that answers InvokeFunction as Function
// Compute 3.0 does for an asynchronous invocation, 202 with no body, and
// records the requests it gets. It refuses an x-fc-async-delay outside
// the documented (0, 3600) seconds with 400 InvalidArgument. status, when
// not zero, is the status of every answer, with the JSON error document of
// code that Function Compute writes (Code, Message, RequestId), or with
// page as an HTML body, as a gateway in front of it answers, when page is
// set.
type fakeFC struct {
	mu     sync.Mutex
	reqs   []fcRequest
	status int
	code   string
	page   string
}

func (f *fakeFC) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, fcRequest{r.Method, r.URL.Path, r.Header.Clone(), string(body)})
	w.Header().Set("x-fc-request-id", "r1")
	status, code := f.status, f.code
	if d := r.Header.Get("x-fc-async-delay"); d != "" {
		if secs, err := strconv.Atoi(d); err != nil || secs <= 0 || secs >= 3600 {
			status, code = http.StatusBadRequest, "InvalidArgument"
		}
	}
	switch {
	case status != 0 && f.page != "":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		fmt.Fprint(w, f.page)
	case status != 0:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"Code":%q,"Message":"%s from the test","RequestId":"r1"}`,
			code, code)
	default:
		w.WriteHeader(http.StatusAccepted)
	}
}

// take returns the requests so far and forgets them.
func (f *fakeFC) take() []fcRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	reqs := f.reqs
	f.reqs = nil
	return reqs
}

// newFCClient returns a Function Compute client that sends plain HTTP to
// the test server at url, signed with a static key.
func newFCClient(t *testing.T, url string) *fc.Client {
	t.Helper()
	client, err := fc.NewClient(&openapi.Config{
		AccessKeyId:     dara.String("jlgen"),
		AccessKeySecret: dara.String("jlgen"),
		RegionId:        dara.String("cn-hangzhou"),
		Endpoint:        dara.String(strings.TrimPrefix(url, "http://")),
		Protocol:        dara.String("http"),
	})
	if err != nil {
		t.Fatalf("new fc client: %v", err)
	}
	return client
}

// TestFCInvokerRequestShape checks, against an httptest server rather than
// Function Compute (no emulator is at hand), the requests FCInvoker sends
// through the SDK: a signed POST to the unit's function's invocations with
// x-fc-invocation-type: Async and the payload as the body; a delay as
// x-fc-async-delay in whole seconds; and how its failures are classified.
func TestFCInvokerRequestShape(t *testing.T) {
	ctx := context.Background()
	fake := &fakeFC{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	inv := NewFCInvoker(newFCClient(t, srv.URL), "orders")
	payload := `{"unit":"task:Charge","input":{"order":7}}`

	if err := inv.Invoke(ctx, "task:Charge", []byte(payload)); err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	reqs := fake.take()
	if len(reqs) != 1 {
		t.Fatalf("Invoke sent %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	const path = "/2023-03-30/functions/orders-task-Charge/invocations"
	if r.method != http.MethodPost || r.path != path {
		t.Errorf("request %s %s, want POST %s", r.method, r.path, path)
	}
	if got := r.header.Get("x-fc-invocation-type"); got != "Async" {
		t.Errorf("x-fc-invocation-type: %q, want Async", got)
	}
	if got := r.header.Get("x-fc-async-delay"); got != "" {
		t.Errorf("Invoke sent x-fc-async-delay: %q, want none", got)
	}
	if auth := r.header.Get("Authorization"); !strings.HasPrefix(auth,
		"ACS3-HMAC-SHA256 Credential=jlgen,") || !strings.Contains(auth, "Signature=") {
		t.Errorf("Authorization: %q, want an ACS3 signature by the static key", auth)
	}
	if got := r.header.Get("x-acs-action"); got != "InvokeFunction" {
		t.Errorf("x-acs-action: %q, want InvokeFunction", got)
	}
	if r.body != payload {
		t.Errorf("body %q, want the payload %q", r.body, payload)
	}

	err := inv.InvokeAfter(ctx, "resume:Wait", []byte(payload), 1500*time.Millisecond)
	if err != nil {
		t.Fatalf("InvokeAfter: %v", err)
	}
	r = fake.take()[0]
	if got := r.header.Get("x-fc-async-delay"); got != "2" {
		t.Errorf("InvokeAfter 1.5s sent x-fc-async-delay: %q, want 2", got)
	}
	if got := r.header.Get("x-fc-invocation-type"); got != "Async" {
		t.Errorf("InvokeAfter x-fc-invocation-type: %q, want Async", got)
	}
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
	if got := fake.take()[0].header.Get("x-fc-async-delay"); got != "3599" {
		t.Errorf("InvokeAfter MaxDelay sent x-fc-async-delay: %q, want 3599", got)
	}
}

// TestFCInvokerFailures checks how the answers of Function Compute that
// the failover acts on are classified.
func TestFCInvokerFailures(t *testing.T) {
	ctx := context.Background()
	const badGateway = "<html><body><h1>502 Bad Gateway</h1></body></html>"
	for _, tc := range []struct {
		status     int
		code, page string
		want       jlrt.Failure
	}{
		{http.StatusTooManyRequests, "ResourceExhausted", "", jlrt.FailureThrottled},
		{http.StatusServiceUnavailable, "ResourceThrottled", "", jlrt.FailureThrottled},
		{http.StatusInternalServerError, "InternalServerError", "", jlrt.FailureUnavailable},
		{http.StatusServiceUnavailable, "", "", jlrt.FailureUnavailable},
		{http.StatusNotFound, "FunctionNotFound", "", jlrt.FailurePermanent},
		{http.StatusForbidden, "AccessDenied", "", jlrt.FailurePermanent},
		{http.StatusBadRequest, "EntityTooLarge", "", jlrt.FailurePermanent},
		{http.StatusBadRequest, "InvalidArgument", "", jlrt.FailurePermanent},
		{http.StatusUnauthorized, "InvalidAccessKeyID", "", jlrt.FailurePermanent},
		// A gateway's page in front of Function Compute, which the SDK
		// cannot read as JSON: the cloud is unavailable.
		{http.StatusBadGateway, "", badGateway, jlrt.FailureUnavailable},
		{http.StatusServiceUnavailable, "", "Service Unavailable", jlrt.FailureUnavailable},
	} {
		fake := &fakeFC{status: tc.status, code: tc.code, page: tc.page}
		srv := httptest.NewServer(fake)
		inv := NewFCInvoker(newFCClient(t, srv.URL), "orders")
		err := inv.Invoke(ctx, "task:Charge", []byte("{}"))
		srv.Close()
		if got := Classify(err); got != tc.want {
			t.Errorf("%d %s: Classify(%v) = %v, want %v", tc.status, tc.code, err, got,
				tc.want)
		}
		if got, want := Retryable(err), tc.want != jlrt.FailurePermanent; got != want {
			t.Errorf("%d %s: Retryable = %v, want %v", tc.status, tc.code, got, want)
		}
	}

	srv := httptest.NewServer(&fakeFC{})
	inv := NewFCInvoker(newFCClient(t, srv.URL), "orders")
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
	if Classify(nil) != jlrt.FailureNone || Retryable(nil) {
		t.Error("Classify(nil) is a failure, want none")
	}
	if Classify(errors.New("bad input")) != jlrt.FailurePermanent {
		t.Error("Classify of a plain error is not permanent")
	}
}

// TestFunctionName checks that function names are stable, readable when
// they can be, and valid and distinct when they cannot.
func TestFunctionName(t *testing.T) {
	for _, tc := range []struct{ prefix, unit, want string }{
		{"orders", "task:Charge", "orders-task-Charge"},
		{"orders", "start", "orders-start"},
		{"orders", "item:Price_Lines", "orders-item-Price_Lines"},
		{"orders", "task:Charge card", "orders-task-Charge_card-" + hash8("task:Charge card")},
	} {
		if got := FunctionName(tc.prefix, tc.unit); got != tc.want {
			t.Errorf("FunctionName(%q, %q) = %q, want %q", tc.prefix, tc.unit, got, tc.want)
		}
	}
	names := map[string]string{}
	for _, unit := range []string{"task:a b", "task:a_b", "task:a:b", "task:a-b", "task:ä b",
		"task:" + strings.Repeat("x", 80), "task:" + strings.Repeat("x", 81), "9lives", "task:é"} {
		got := FunctionName("wf", unit)
		if !validFunctionName(got) {
			t.Errorf("FunctionName(wf, %q) = %q, not a valid name", unit, got)
		}
		if other, ok := names[got]; ok {
			t.Errorf("units %q and %q share the function name %q", other, unit, got)
		}
		names[got] = unit
	}
}

// hash8 is the first 8 hex digits of the SHA-256 of s.
func hash8(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

// TestClassifyFC2Errors checks that the errors of the Function Compute 2.0
// SDK (github.com/aliyun/fc-go-sdk), a *ServiceError or a ServiceError
// value, wrapped or not, are classified by their HTTP status and error
// code.
func TestClassifyFC2Errors(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want jlrt.Failure
	}{
		{&fc2.ServiceError{HTTPStatus: 429, ErrorCode: "ResourceExhausted"}, jlrt.FailureThrottled},
		{fmt.Errorf("fc2 invoke: %w", &fc2.ServiceError{HTTPStatus: 503,
			ErrorCode: "ResourceThrottled"}), jlrt.FailureThrottled},
		{fc2.ServiceError{HTTPStatus: 502, ErrorCode: "BadGateway"}, jlrt.FailureUnavailable},
		{fmt.Errorf("wrapped: %w", fc2.ServiceError{HTTPStatus: 408}), jlrt.FailureUnavailable},
		{&fc2.ServiceError{HTTPStatus: 404, ErrorCode: "ServiceNotFound"}, jlrt.FailurePermanent},
		{&fc2.ServiceError{HTTPStatus: 400, ErrorCode: "InvalidArgument"}, jlrt.FailurePermanent},
	} {
		if got := Classify(tc.err); got != tc.want {
			t.Errorf("Classify(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
