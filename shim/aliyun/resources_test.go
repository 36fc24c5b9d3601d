package aliyun

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// fcAnswer is how fakeFunctions answers a request.
type fcAnswer struct {
	status    int
	errorType string // X-Fc-Error-Type
	body      string
}

// calledRequest is what fakeFunctions saw of one request.
type calledRequest struct {
	fcRequest
	query string
}

// fakeFunctions is an httptest handler that answers the invocations of
// Function Compute 2.0 and 3.0 functions with the answer given for the
// request's path, and records the requests. An answer with status 300 or
// more carries code as the error code, in the error document of the
// version the path belongs to.
type fakeFunctions struct {
	mu      sync.Mutex
	reqs    []calledRequest
	answers map[string]fcAnswer
	code    string
}

func (f *fakeFunctions) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.reqs = append(f.reqs, calledRequest{
		fcRequest{r.Method, r.URL.Path, r.Header.Clone(), string(body)}, r.URL.RawQuery})
	a, ok := f.answers[r.URL.Path]
	code := f.code
	f.mu.Unlock()
	if !ok {
		a, code = fcAnswer{status: http.StatusNotFound}, "FunctionNotFound"
	}
	w.Header().Set("X-Fc-Request-Id", "r1")
	if a.errorType != "" {
		w.Header().Set("X-Fc-Error-Type", a.errorType)
	}
	switch {
	case a.status >= 300 && a.body != "":
		// A gateway's page in front of Function Compute.
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(a.status)
		io.WriteString(w, a.body)
	case a.status >= 300 && strings.HasPrefix(r.URL.Path, "/2016-08-15/"):
		w.WriteHeader(a.status)
		fmt.Fprintf(w, `{"ErrorCode":%q,"ErrorMessage":"%s from the test"}`, code, code)
	case a.status >= 300:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		fmt.Fprintf(w, `{"Code":%q,"Message":"%s from the test","RequestId":"r1"}`, code, code)
	default:
		w.WriteHeader(a.status)
		io.WriteString(w, a.body)
	}
}

// take returns the requests so far and forgets them.
func (f *fakeFunctions) take() []calledRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	reqs := f.reqs
	f.reqs = nil
	return reqs
}

// newResources returns the fake and the shim's Resources with clients of
// both versions pointed at it.
func newResources(t *testing.T, answers map[string]fcAnswer) (*fakeFunctions,
	jlrt.Resources) {
	t.Helper()
	fake := &fakeFunctions{answers: answers}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, Resources(newFCClient(t, srv.URL), newFC2Client(t, srv.URL))
}

func fcResource(arn string) jlrt.Resource {
	return jlrt.Resource{State: "Charge", Kind: "fc", ARN: arn}
}

// TestResourcesCall checks, against an httptest server, the requests that
// Call sends for each form of resource (the SDK of the version the ARN
// names, a synchronous invocation, the input or the CloudFlow body as the
// event) and that it decodes the function's answer.
func TestResourcesCall(t *testing.T) {
	const (
		v2 = "/2016-08-15/services/"
		v3 = "/2023-03-30/functions/"
	)
	fake, rs := newResources(t, map[string]fcAnswer{
		v2 + "svc/functions/list/invocations":         {200, "", `{"count":2,"names":["a","b"]}`},
		v2 + "svc.LATEST/functions/list/invocations":  {200, "", "plain text"},
		v2 + "svc/functions/left/invocations":         {200, "", ""},
		v3 + "price/invocations":                      {200, "", `{"price":12.5}`},
		v3 + "w/invocations":                          {202, "", ""},
		v3 + "echo/invocations":                       {200, "", `"done"`},
		v2 + "svc.prod/functions/mapped/invocations":  {200, "", "[1]"},
		v2 + "flow-svc/functions/flow-fn/invocations": {200, "", "{}"},
	})
	input := map[string]any{"order": json.Number("7"), "items": []any{"a"}}
	const inputJSON = `{"items":["a"],"order":7}`
	for _, tc := range []struct {
		arn        string
		input      any
		path       string
		query      string
		invocation string
		body       string
		want       any
	}{
		{"acs:fc:cn-hangzhou:123:services/svc/functions/list", input,
			v2 + "svc/functions/list/invocations", "", "Sync", inputJSON,
			map[string]any{"count": json.Number("2"), "names": []any{"a", "b"}}},
		{"acs:fc:::services/svc.LATEST/functions/list", input,
			v2 + "svc.LATEST/functions/list/invocations", "", "Sync", inputJSON, "plain text"},
		{"!Ref svc/left", input, v2 + "svc/functions/left/invocations", "", "Sync", inputJSON,
			nil},
		{"acs:fc:cn-hangzhou:123:functions/price", input, v3 + "price/invocations", "",
			"Sync", inputJSON, map[string]any{"price": json.Number("12.5")}},
		{"acs:fc:cn-hangzhou:123:functions/price/LATEST", input, v3 + "price/invocations",
			"qualifier=LATEST", "Sync", inputJSON, map[string]any{"price": json.Number("12.5")}},
		{"FC:InvokeFunction", map[string]any{"resourceArn": "acs:fc:::functions/w",
			"invocationType": "Async", "body": map[string]any{"a": json.Number("1")}},
			v3 + "w/invocations", "", "Async", `{"a":1}`, nil},
		{"FC:InvokeFunction", map[string]any{"resourceArn": "acs:fc:::functions/echo",
			"body": "raw text"}, v3 + "echo/invocations", "", "Sync", "raw text", "done"},
		{"FC:InvokeFunction", map[string]any{
			"resourceArn":    "acs:fc:::services/svc.prod/functions/mapped",
			"invocationType": "Sync", "body": []any{true}},
			v2 + "svc.prod/functions/mapped/invocations", "", "Sync", "[true]",
			[]any{json.Number("1")}},
		{"acs:fc:cn-shanghai:1:services/flow-svc/functions/flow-fn", nil,
			v2 + "flow-svc/functions/flow-fn/invocations", "", "Sync", "null",
			map[string]any{}},
	} {
		got, err := rs.Call(context.Background(), fcResource(tc.arn), tc.input)
		if err != nil {
			t.Errorf("Call %s: %v", tc.arn, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Call %s = %#v, want %#v", tc.arn, got, tc.want)
		}
		reqs := fake.take()
		if len(reqs) != 1 {
			t.Errorf("Call %s sent %d requests, want 1", tc.arn, len(reqs))
			continue
		}
		r := reqs[0]
		if r.method != http.MethodPost || r.path != tc.path || r.query != tc.query {
			t.Errorf("Call %s sent %s %s?%s, want POST %s?%s", tc.arn, r.method, r.path,
				r.query, tc.path, tc.query)
		}
		if got := r.header.Get("X-Fc-Invocation-Type"); got != tc.invocation {
			t.Errorf("Call %s: X-Fc-Invocation-Type %q, want %q", tc.arn, got, tc.invocation)
		}
		if r.body != tc.body {
			t.Errorf("Call %s: body %q, want %q", tc.arn, r.body, tc.body)
		}
		if strings.HasPrefix(tc.path, v2) {
			checkFC2Signed(t, r.fcRequest)
		} else if auth := r.header.Get("Authorization"); !strings.HasPrefix(auth,
			"ACS3-HMAC-SHA256 Credential=jlgen,") || r.header.Get("x-acs-date") == "" {
			t.Errorf("Call %s: Authorization %q, x-acs-date %q, want an ACS3 signature",
				tc.arn, auth, r.header.Get("x-acs-date"))
		}
	}
}

// TestResourcesFunctionErrors checks that a function's failure, a 200
// answer with X-Fc-Error-Type, becomes a StateError named after the
// function's errorType, or FC.Unhandled or FC.Handled when it has none.
func TestResourcesFunctionErrors(t *testing.T) {
	answers := map[string]fcAnswer{}
	for _, prefix := range []string{"/2016-08-15/services/svc/functions/",
		"/2023-03-30/functions/"} {
		answers[prefix+"typed/invocations"] = fcAnswer{200, "UnhandledInvocationError",
			`{"errorMessage":"oops","errorType":"ValueError","stackTrace":["x.py:2"]}`}
		answers[prefix+"crashed/invocations"] = fcAnswer{200, "UnhandledInvocationError",
			`{"errorMessage":"Process exited unexpectedly"}`}
		answers[prefix+"handled/invocations"] = fcAnswer{200, "HandledInvocationError",
			"boom"}
	}
	_, rs := newResources(t, answers)
	for _, tc := range []struct{ function, name, cause string }{
		{"typed", "ValueError", "oops"},
		{"crashed", "FC.Unhandled", "Process exited unexpectedly"},
		{"handled", "FC.Handled", "boom"},
	} {
		for _, arn := range []string{"acs:fc:::services/svc/functions/" + tc.function,
			"acs:fc:::functions/" + tc.function} {
			out, err := rs.Call(context.Background(), fcResource(arn), map[string]any{})
			var se *jlrt.StateError
			if !errors.As(err, &se) || se.Name != tc.name || se.Cause != tc.cause {
				t.Errorf("Call %s = %v, %v; want a StateError %s: %s", arn, out, err,
					tc.name, tc.cause)
				continue
			}
			if !strings.Contains(err.Error(), `state "Charge"`) {
				t.Errorf("Call %s: error %q does not name the state", arn, err)
			}
		}
	}
}

// TestResourcesServiceErrors checks that Function Compute's refusals
// become StateErrors named FC.{ErrorCode} that Classify still tells
// apart, and that a call that gets no answer stays a plain error.
func TestResourcesServiceErrors(t *testing.T) {
	for _, tc := range []struct {
		status int
		code   string
		want   jlrt.Failure
	}{
		{http.StatusTooManyRequests, "ResourceExhausted", jlrt.FailureThrottled},
		{http.StatusServiceUnavailable, "ResourceThrottled", jlrt.FailureThrottled},
		{http.StatusInternalServerError, "InternalServerError", jlrt.FailureUnavailable},
		{http.StatusNotFound, "FunctionNotFound", jlrt.FailurePermanent},
	} {
		fake, rs := newResources(t, map[string]fcAnswer{
			"/2016-08-15/services/svc/functions/f/invocations": {status: tc.status},
			"/2023-03-30/functions/f/invocations":              {status: tc.status},
		})
		fake.code = tc.code
		for _, arn := range []string{"acs:fc:::services/svc/functions/f",
			"acs:fc:::functions/f"} {
			_, err := rs.Call(context.Background(), fcResource(arn), nil)
			var se *jlrt.StateError
			if !errors.As(err, &se) || se.Name != "FC."+tc.code ||
				!strings.Contains(se.Cause, tc.code+" from the test") {
				t.Errorf("%s answered %d %s: %v, want a StateError FC.%s with the message",
					arn, tc.status, tc.code, err, tc.code)
			}
			if got := Classify(err); got != tc.want {
				t.Errorf("%s answered %d %s: Classify = %v, want %v", arn, tc.status,
					tc.code, got, tc.want)
			}
		}
	}

	const page = "<html><body>502 Bad Gateway</body></html>"
	_, rs := newResources(t, map[string]fcAnswer{
		"/2016-08-15/services/svc/functions/f/invocations": {status: 502, body: page},
		"/2023-03-30/functions/f/invocations":              {status: 502, body: page},
	})
	for _, arn := range []string{"acs:fc:::services/svc/functions/f", "acs:fc:::functions/f"} {
		_, err := rs.Call(context.Background(), fcResource(arn), nil)
		if got := Classify(err); err == nil || got != jlrt.FailureUnavailable {
			t.Errorf("%s answered a gateway's 502 page: %v (class %v), want unavailable", arn,
				err, got)
		}
	}

	srv := httptest.NewServer(&fakeFunctions{})
	rs = Resources(newFCClient(t, srv.URL), newFC2Client(t, srv.URL))
	srv.Close()
	for _, arn := range []string{"acs:fc:::services/svc/functions/f", "acs:fc:::functions/f"} {
		_, err := rs.Call(context.Background(), fcResource(arn), nil)
		var se *jlrt.StateError
		if errors.As(err, &se) || Classify(err) != jlrt.FailureNetwork {
			t.Errorf("%s on a closed server: %v (class %v), want a plain network error", arn,
				err, Classify(err))
		}
	}
}

// TestResourcesRejects checks the resources Call refuses before sending
// anything, and that its errors say what is wrong.
func TestResourcesRejects(t *testing.T) {
	fake, rs := newResources(t, nil)
	for _, tc := range []struct {
		r     jlrt.Resource
		input any
		want  string
	}{
		{jlrt.Resource{State: "One", Kind: "opaque", ARN: "${FunctionArn}"}, nil,
			"${FunctionArn}"},
		{jlrt.Resource{State: "Two", Kind: "fc", ARN: "acs:fc:::services/${Svc}/functions/f"},
			nil, "${Svc}"},
		{jlrt.Resource{State: "Three", Kind: "fc", ARN: "FC:InvokeFunction"},
			map[string]any{"resourceArn": "${Arn}"}, "${Arn}"},
		{jlrt.Resource{State: "Ocr", Kind: "service", ARN: "ocr:RecognizeIdentityCard"}, nil,
			`kind "service"`},
		{jlrt.Resource{State: "Sub", Kind: "service", ARN: "acs:fnf:::flow/child"}, nil,
			`kind "service"`},
		{fcResource("acs:fc:::services/svc"), nil, "names no function"},
		{fcResource("acs:fc:::functions/a/b/c"), nil, "names no function"},
		{fcResource("acs:oss:::bucket"), nil, "not a function compute ARN"},
		{fcResource("!Ref svc"), nil, "not a !Ref of service/function"},
		{fcResource("FC:InvokeFunction"), "text", "object of parameters"},
		{fcResource("FC:InvokeFunction"), map[string]any{}, "resourceArn is missing"},
		{fcResource("FC:InvokeFunction"), map[string]any{"resourceArn": "acs:fc:::functions/f",
			"invocationType": "Later"}, "neither Sync nor Async"},
	} {
		_, err := rs.Call(context.Background(), tc.r, tc.input)
		if err == nil || !strings.Contains(err.Error(), tc.want) ||
			!strings.Contains(err.Error(), fmt.Sprintf("state %q", tc.r.State)) {
			t.Errorf("Call %s (%s) = %v, want an error naming the state and %s", tc.r.ARN,
				tc.r.Kind, err, tc.want)
		}
	}
	if n := len(fake.take()); n != 0 {
		t.Errorf("rejected calls sent %d requests, want none", n)
	}

	none := Resources(nil, nil)
	for arn, want := range map[string]string{
		"acs:fc:::services/svc/functions/f": "no 2.0 client",
		"!Ref svc/f":                        "no 2.0 client",
		"acs:fc:::functions/f":              "no 3.0 client",
	} {
		_, err := none.Call(context.Background(), fcResource(arn), nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Call %s without clients = %v, want an error saying %s", arn, err, want)
		}
	}
}
