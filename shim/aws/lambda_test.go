package aws

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// testCredentials are the static keys every test client signs with.
var testCredentials = credentials.NewStaticCredentialsProvider("jlgen", "jlgen", "")

// envelope is a payload as the runtime sends it, with spaces kept so that
// a test can tell bytes passed as they are from re-encoded ones.
const envelope = `{"execution": {"id": "e1"}, "unit": "task:Charge", "step": 3, ` +
	`"input": {"order": 7}}`

// lambdaCall is one request the fake Lambda got.
type lambdaCall struct {
	Method   string
	Function string
	Query    string
	Header   http.Header
	Body     string
}

// fakeLambda is an httptest handler that answers Invoke as Lambda does
// (POST /2015-03-31/functions/NAME/invocations) and records the requests
// it gets. By default an Event invocation gets 202 and an empty body, and
// a RequestResponse one gets 200 and its own payload back; answers, keyed
// by function, replace that.
type fakeLambda struct {
	mu      sync.Mutex
	calls   []lambdaCall
	answers map[string]http.HandlerFunc
}

const invocationsPrefix, invocationsSuffix = "/2015-03-31/functions/", "/invocations"

func (f *fakeLambda) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, invocationsPrefix) ||
		!strings.HasSuffix(r.URL.Path, invocationsSuffix) {
		lambdaError(w, http.StatusNotFound, "UnknownOperationException", "unknown operation")
		return
	}
	name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, invocationsPrefix),
		invocationsSuffix)
	f.mu.Lock()
	f.calls = append(f.calls, lambdaCall{Method: r.Method, Function: name,
		Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: string(body)})
	answer := f.answers[name]
	f.mu.Unlock()
	w.Header().Set("X-Amzn-RequestId", "req-"+name)
	if answer != nil {
		answer(w, r)
		return
	}
	if r.Header.Get("X-Amz-Invocation-Type") == "Event" {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	w.Header().Set("X-Amz-Executed-Version", "$LATEST")
	w.Write(body)
}

// takeCalls returns the requests so far and forgets them.
func (f *fakeLambda) takeCalls() []lambdaCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	calls := f.calls
	f.calls = nil
	return calls
}

// answer sets how the fake answers the invocations of function.
func (f *fakeLambda) answer(function string, h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.answers == nil {
		f.answers = map[string]http.HandlerFunc{}
	}
	f.answers[function] = h
}

// lambdaError answers with status and a Lambda error of code, as Lambda
// writes them: the code in X-Amzn-ErrorType, the message in the body.
func lambdaError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	io.WriteString(w, `{"Type":"User","message":"`+msg+`"}`)
}

// erroring returns an answer of status and code.
func erroring(status int, code string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lambdaError(w, status, code, code+" for the test")
	}
}

// newLambdaClient returns a Lambda client of url that tries each request
// once.
func newLambdaClient(url string) *lambda.Client {
	return lambda.New(lambda.Options{
		Region:           "us-east-1",
		Credentials:      testCredentials,
		BaseEndpoint:     &url,
		RetryMaxAttempts: 1,
	})
}

// startLambda starts a fake Lambda and returns it with a client of it.
func startLambda(t *testing.T) (*fakeLambda, *lambda.Client) {
	fake := &fakeLambda{}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, newLambdaClient(srv.URL)
}

// unitFunction is the mapping the tests give the invoker.
func unitFunction(unit string) string {
	return "orders-" + strings.ReplaceAll(unit, ":", "-")
}

// checkEventCall checks that c is a signed asynchronous invocation of
// function with the payload as it was given.
func checkEventCall(t *testing.T, c lambdaCall, function, payload string) {
	t.Helper()
	if c.Method != http.MethodPost || c.Function != function {
		t.Errorf("request %s of function %q, want POST of %q", c.Method, c.Function, function)
	}
	if got := c.Header.Get("X-Amz-Invocation-Type"); got != "Event" {
		t.Errorf("X-Amz-Invocation-Type: %q, want Event", got)
	}
	if auth := c.Header.Get("Authorization"); !strings.HasPrefix(auth,
		"AWS4-HMAC-SHA256 Credential=jlgen/") || !strings.Contains(auth, "/us-east-1/lambda/") {
		t.Errorf("Authorization: %q, want a SigV4 signature for lambda in us-east-1", auth)
	}
	if c.Body != payload {
		t.Errorf("body %q, want the payload as it is, %q", c.Body, payload)
	}
}

// TestLambdaInvokerInvoke checks, against an httptest server rather than
// Lambda, the request Invoke sends: a signed POST of the unit's function's
// invocations with X-Amz-Invocation-Type: Event and the payload byte for
// byte, and that a 202 counts as accepted.
func TestLambdaInvokerInvoke(t *testing.T) {
	fake, client := startLambda(t)
	inv := NewLambdaInvoker(client, unitFunction, DelayOptions{})

	if err := inv.Invoke(context.Background(), "task:Charge", []byte(envelope)); err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	calls := fake.takeCalls()
	if len(calls) != 1 {
		t.Fatalf("Invoke sent %d requests, want 1", len(calls))
	}
	checkEventCall(t, calls[0], "orders-task-Charge", envelope)
}

// TestLambdaInvokerRefused checks that Lambda's refusals come back as
// errors that name the unit and keep the SDK's error for the failover to
// classify: a missing function is permanent, a throttled one retryable.
func TestLambdaInvokerRefused(t *testing.T) {
	fake, client := startLambda(t)
	fake.answer("orders-task-Gone", erroring(http.StatusNotFound, "ResourceNotFoundException"))
	fake.answer("orders-task-Busy", erroring(http.StatusTooManyRequests,
		"TooManyRequestsException"))
	inv := NewLambdaInvoker(client, unitFunction, DelayOptions{})
	ctx := context.Background()

	err := inv.Invoke(ctx, "task:Gone", []byte(envelope))
	var missing *types.ResourceNotFoundException
	if !errors.As(err, &missing) {
		t.Fatalf("Invoke of a missing function = %v, want a ResourceNotFoundException", err)
	}
	if !strings.Contains(err.Error(), "task:Gone") {
		t.Errorf("error %q does not name the unit", err)
	}
	if Classify(err) != jlrt.FailurePermanent || Retryable(err) {
		t.Errorf("missing function classified %v (retryable %v), want permanent",
			Classify(err), Retryable(err))
	}

	err = inv.Invoke(ctx, "task:Busy", []byte(envelope))
	if Classify(err) != jlrt.FailureThrottled || !Retryable(err) {
		t.Errorf("throttled invocation: %v classified %v, want throttled and retryable", err,
			Classify(err))
	}
}

// TestLambdaInvokerNoFunction checks that a mapping that gives no
// function is an error and sends nothing.
func TestLambdaInvokerNoFunction(t *testing.T) {
	fake, client := startLambda(t)
	for name, mapping := range map[string]func(string) string{
		"nil":   nil,
		"empty": func(string) string { return "" },
	} {
		inv := NewLambdaInvoker(client, mapping, DelayOptions{})
		if err := inv.Invoke(context.Background(), "task:Charge", []byte(envelope)); err == nil {
			t.Errorf("%s mapping: Invoke succeeded, want an error", name)
		}
	}
	if n := len(fake.takeCalls()); n != 0 {
		t.Errorf("sent %d requests without a function, want 0", n)
	}
}
