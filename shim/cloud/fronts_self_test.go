package cloud_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	fc "github.com/alibabacloud-go/fc-20230330/v4/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// buildTestdata builds the command ./testdata/name into a temporary
// directory, as out, and returns its path.
func buildTestdata(t *testing.T, name, out string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), out)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./testdata/"+name)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./testdata/%s: %v\n%s", name, err, b)
	}
	return bin
}

// readLog reads the JSON lines an echo function appended to path.
func readLog[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatalf("open the echo log: %v", err)
	}
	defer f.Close()
	var recs []T
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec T
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("echo log line %q: %v", sc.Text(), err)
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read the echo log: %v", err)
	}
	return recs
}

// marker is the field of the tests' payloads that tells their invocations
// apart in the echo logs.
type marker struct {
	N string `json:"n"`
	I int    `json:"i"`
}

// echofnRecord is a line of testdata/echofn's log.
type echofnRecord struct {
	RequestID string          `json:"rid"`
	Function  string          `json:"fn"`
	Tag       string          `json:"tag"`
	Body      json.RawMessage `json:"body"`
	Start     int64           `json:"start"`
	End       int64           `json:"end"`
}

// marker returns the record's marker, or the zero marker.
func (r echofnRecord) marker() marker {
	var m marker
	json.Unmarshal(r.Body, &m)
	return m
}

// lambdaRecords returns the records of the invocations marked n.
func lambdaRecords(t *testing.T, path, n string) []echofnRecord {
	t.Helper()
	var out []echofnRecord
	for _, rec := range readLog[echofnRecord](t, path) {
		if rec.marker().N == n {
			out = append(out, rec)
		}
	}
	return out
}

// statsDelta returns after minus before, field by field.
func statsDelta(before, after frontStats) frontStats {
	return frontStats{
		Accepted:    after.Accepted - before.Accepted,
		Synchronous: after.Synchronous - before.Synchronous,
		Refused:     after.Refused - before.Refused,
		Executions:  after.Executions - before.Executions,
		Failures:    after.Failures - before.Failures,
		Dropped:     after.Dropped - before.Dropped,
	}
}

// newFrontLambdaClient returns a Lambda client of the front at url, with
// static credentials and no retries, so that every call is one request.
func newFrontLambdaClient(url string) *lambda.Client {
	return lambda.New(lambda.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(url),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDJLGEN", "secret", ""),
		RetryMaxAttempts: 1,
	})
}

// TestLambdaFront checks the Lambda front with testdata/echofn under RIE,
// through the real Lambda client: synchronous round trips, function
// errors, timeouts and crashes as Lambda reports them, asynchronous
// invocations delivered once each and never two at once, the retries of a
// failing one, and the errors of an unknown function, an unsigned request
// and an outage.
// waitIdle waits up to 30 s for f to have no invocation running or queued.
func waitIdle(ctx context.Context, t *testing.T, f front) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := f.base().idle(ctx); err != nil {
		t.Fatalf("Idle: %v", err)
	}
}

func TestLambdaFront(t *testing.T) {
	front := newLambdaFront(t)
	bin := buildTestdata(t, "echofn", "bootstrap")
	logPath := filepath.Join(t.TempDir(), "echo.log")
	front.AddFunction(t, "echo", bin, []string{"ECHO_LOG=" + logPath,
		"ECHO_TAG=lambda-tag", "AWS_LAMBDA_FUNCTION_TIMEOUT=1"})
	client := newFrontLambdaClient(front.URL())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	invoke := func(t *testing.T, typ types.InvocationType, payload string) *lambda.InvokeOutput {
		t.Helper()
		out, err := client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("echo"),
			InvocationType: typ, Payload: []byte(payload)})
		if err != nil {
			t.Fatalf("Invoke %s %s: %v", typ, payload, err)
		}
		return out
	}
	stats := func() frontStats { return front.Stats()["echo"] }
	idle := func(t *testing.T) { t.Helper(); waitIdle(ctx, t, front) }

	t.Run("RequestResponse", func(t *testing.T) {
		before := stats()
		const payload = `{"n":"rr","i":1}`
		out := invoke(t, types.InvocationTypeRequestResponse, payload)
		if out.StatusCode != http.StatusOK || out.FunctionError != nil {
			t.Errorf("status %d, function error %v; want 200 and none", out.StatusCode,
				aws.ToString(out.FunctionError))
		}
		if string(out.Payload) != payload {
			t.Errorf("payload %s, want the input %s", out.Payload, payload)
		}
		if got := aws.ToString(out.ExecutedVersion); got != "$LATEST" {
			t.Errorf("executed version %q, want $LATEST", got)
		}
		recs := lambdaRecords(t, logPath, "rr")
		if len(recs) != 1 {
			t.Fatalf("the function ran %d times, want once: %+v", len(recs), recs)
		}
		rid, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
		if rec := recs[0]; rec.RequestID != rid || rid == "" || rec.Function != "echo" ||
			rec.Tag != "lambda-tag" {
			t.Errorf("the function saw request %q, name %q, tag %q; want request %q, "+
				"name echo, tag lambda-tag", rec.RequestID, rec.Function, rec.Tag, rid)
		}
		if d := statsDelta(before, stats()); d != (frontStats{Synchronous: 1, Executions: 1}) {
			t.Errorf("stats moved by %+v, want one synchronous execution", d)
		}
	})

	t.Run("FunctionError", func(t *testing.T) {
		before := stats()
		for _, tc := range []struct{ payload, want string }{
			{`{"n":"fe","fail":true}`, `"errorMessage":"echofn: asked to fail"`},
			{`{"n":"fe","sleep_ms":1500}`, `Sandbox.Timedout`},
			{`{"n":"fe","panic":true}`, `echofn: asked to panic`},
		} {
			out := invoke(t, types.InvocationTypeRequestResponse, tc.payload)
			if out.StatusCode != http.StatusOK || aws.ToString(out.FunctionError) != "Unhandled" {
				t.Errorf("%s: status %d, function error %q; want 200 and Unhandled",
					tc.payload, out.StatusCode, aws.ToString(out.FunctionError))
			}
			if !strings.Contains(string(out.Payload), tc.want) {
				t.Errorf("%s: payload %s, want it to hold %s", tc.payload, out.Payload, tc.want)
			}
		}
		// The emulator restarts the runtime after a timeout or a crash.
		const payload = `{"n":"fe","i":2}`
		if out := invoke(t, types.InvocationTypeRequestResponse, payload); out.FunctionError != nil ||
			string(out.Payload) != payload {
			t.Errorf("after the failures: function error %q, payload %s; want none and %s",
				aws.ToString(out.FunctionError), out.Payload, payload)
		}
		if d := statsDelta(before, stats()); d != (frontStats{Synchronous: 4, Executions: 4,
			Failures: 3}) {
			t.Errorf("stats moved by %+v, want 4 synchronous executions, 3 failed, "+
				"none retried", d)
		}
	})

	t.Run("ConcurrentEvents", func(t *testing.T) {
		before := stats()
		const n = 20
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				out, err := client.Invoke(ctx, &lambda.InvokeInput{
					FunctionName:   aws.String("echo"),
					InvocationType: types.InvocationTypeEvent,
					Payload:        fmt.Appendf(nil, `{"n":"ev","i":%d,"sleep_ms":20}`, i)})
				switch {
				case err != nil:
					errs <- err
				case out.StatusCode != http.StatusAccepted || len(out.Payload) != 0:
					errs <- fmt.Errorf("event %d: status %d, payload %q; want 202 and none",
						i, out.StatusCode, out.Payload)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		idle(t)
		if d := statsDelta(before, stats()); d != (frontStats{Accepted: n, Executions: n}) {
			t.Errorf("stats moved by %+v, want %d accepted and executed", d, n)
		}
		recs := lambdaRecords(t, logPath, "ev")
		seen := map[int]int{}
		rids := map[string]bool{}
		for _, rec := range recs {
			seen[rec.marker().I]++
			rids[rec.RequestID] = true
		}
		for i := range n {
			if seen[i] != 1 {
				t.Errorf("event %d ran %d times, want once", i, seen[i])
			}
		}
		if len(rids) != n {
			t.Errorf("%d distinct request IDs over %d events, want one each", len(rids), n)
		}
		sort.Slice(recs, func(a, b int) bool { return recs[a].Start < recs[b].Start })
		for k := 1; k < len(recs); k++ {
			if recs[k].Start < recs[k-1].End {
				t.Errorf("events %d and %d overlapped: [%d, %d] and [%d, %d]",
					recs[k-1].marker().I, recs[k].marker().I, recs[k-1].Start, recs[k-1].End,
					recs[k].Start, recs[k].End)
			}
		}
	})

	t.Run("Idle", func(t *testing.T) {
		invoke(t, types.InvocationTypeEvent, `{"n":"idle","sleep_ms":600}`)
		short, scancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer scancel()
		if err := front.Idle(short); err == nil || !strings.Contains(err.Error(), "echo") {
			t.Errorf("Idle during a running event = %v, want an error naming echo", err)
		}
		idle(t)
		if recs := lambdaRecords(t, logPath, "idle"); len(recs) != 1 {
			t.Errorf("Idle returned with %d runs of the event, want 1", len(recs))
		}
	})

	t.Run("EventRetries", func(t *testing.T) {
		before := stats()
		out := invoke(t, types.InvocationTypeEvent, `{"n":"retry","fail":true}`)
		if out.StatusCode != http.StatusAccepted {
			t.Errorf("status %d, want 202", out.StatusCode)
		}
		idle(t)
		if d := statsDelta(before, stats()); d != (frontStats{Accepted: 1, Executions: 3,
			Failures: 3, Dropped: 1}) {
			t.Errorf("stats moved by %+v, want 1 accepted, 3 failed executions, 1 dropped", d)
		}
		recs := lambdaRecords(t, logPath, "retry")
		if len(recs) != frontAttempts {
			t.Fatalf("the failing event ran %d times, want %d", len(recs), frontAttempts)
		}
		for k := 1; k < len(recs); k++ {
			if recs[k].RequestID != recs[0].RequestID {
				t.Errorf("retry %d has request ID %q, want the first's %q", k,
					recs[k].RequestID, recs[0].RequestID)
			}
			// The log has whole milliseconds.
			if gap := time.Duration(recs[k].Start-recs[k-1].End) * time.Millisecond; gap <
				frontRetryPause-10*time.Millisecond {
				t.Errorf("retry %d came %v after the failure, want at least %v", k, gap,
					frontRetryPause)
			}
		}
	})

	t.Run("UnknownFunction", func(t *testing.T) {
		_, err := client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("nope"),
			InvocationType: types.InvocationTypeEvent, Payload: []byte(`{}`)})
		var nf *types.ResourceNotFoundException
		if !errors.As(err, &nf) || httpStatus(err) != http.StatusNotFound {
			t.Fatalf("Invoke nope = %v, want a 404 ResourceNotFoundException", err)
		}
		if !strings.Contains(nf.ErrorMessage(), "nope") || aws.ToString(nf.Type) != "User" {
			t.Errorf("message %q, type %q; want the function's name and User",
				nf.ErrorMessage(), aws.ToString(nf.Type))
		}
	})

	t.Run("Unsigned", func(t *testing.T) {
		before := stats()
		for _, auth := range []string{"", "Bearer x"} {
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost,
				front.URL()+"/2015-03-31/functions/echo/invocations", strings.NewReader(`{}`))
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden || resp.Header.Get("X-Amzn-ErrorType") == "" {
				t.Errorf("Authorization %q: status %d, error type %q; want 403 and a type",
					auth, resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"))
			}
		}
		if d := statsDelta(before, stats()); d != (frontStats{}) {
			t.Errorf("unsigned requests moved the stats by %+v", d)
		}
	})

	t.Run("NotJSON", func(t *testing.T) {
		_, err := client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("echo"),
			InvocationType: types.InvocationTypeEvent, Payload: []byte(`not json`)})
		var bad *types.InvalidRequestContentException
		if !errors.As(err, &bad) || httpStatus(err) != http.StatusBadRequest {
			t.Errorf("Invoke with a payload that is not JSON = %v, want a 400 "+
				"InvalidRequestContentException", err)
		}
	})

	t.Run("Down", func(t *testing.T) {
		before := stats()
		front.SetDown(true)
		for _, typ := range []types.InvocationType{types.InvocationTypeEvent,
			types.InvocationTypeRequestResponse} {
			_, err := client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("echo"),
				InvocationType: typ, Payload: []byte(`{"n":"down"}`)})
			var se *types.ServiceException
			if !errors.As(err, &se) || httpStatus(err) != http.StatusServiceUnavailable {
				t.Errorf("%s while down = %v, want a 503 ServiceException", typ, err)
			}
		}
		front.SetDown(false)
		idle(t)
		if d := statsDelta(before, stats()); d != (frontStats{Refused: 2}) {
			t.Errorf("stats moved by %+v, want 2 refused and nothing run", d)
		}
		if recs := lambdaRecords(t, logPath, "down"); len(recs) != 0 {
			t.Errorf("a refused invocation ran: %+v", recs)
		}
		out := invoke(t, types.InvocationTypeRequestResponse, `{"n":"up"}`)
		if out.FunctionError != nil || string(out.Payload) != `{"n":"up"}` {
			t.Errorf("after the outage: function error %q, payload %s",
				aws.ToString(out.FunctionError), out.Payload)
		}
	})
}

// httpStatus returns the HTTP status of an AWS SDK error, or 0.
func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// echofcRecord is a line of testdata/echofc's log.
type echofcRecord struct {
	Path        string          `json:"path"`
	RequestID   string          `json:"rid"`
	Function    string          `json:"fn"`
	ContentType string          `json:"ctype"`
	Tag         string          `json:"tag"`
	Body        json.RawMessage `json:"body"`
	At          int64           `json:"at"`
}

// fcRecords returns the /invoke records of the invocations marked n.
func fcRecords(t *testing.T, path, n string) []echofcRecord {
	t.Helper()
	var out []echofcRecord
	for _, rec := range readLog[echofcRecord](t, path) {
		var m marker
		json.Unmarshal(rec.Body, &m)
		if rec.Path == "/invoke" && m.N == n {
			out = append(out, rec)
		}
	}
	return out
}

// newFrontFCClient returns a Function Compute 3.0 client of the front at
// url, signing with a static key.
func newFrontFCClient(t *testing.T, url string) *fc.Client {
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

// fcStatus returns the HTTP status and error code of a Function Compute
// SDK error, or 0 and "".
func fcStatus(err error) (int, string) {
	var sdk *tea.SDKError
	if errors.As(err, &sdk) && sdk.StatusCode != nil {
		return *sdk.StatusCode, tea.StringValue(sdk.Code)
	}
	var resp interface {
		error
		GetStatusCode() *int
		GetCode() *string
	}
	if errors.As(err, &resp) && resp.GetStatusCode() != nil {
		return *resp.GetStatusCode(), dara.StringValue(resp.GetCode())
	}
	return 0, ""
}

// TestFCFront checks the Function Compute front with testdata/echofc,
// through the real Function Compute 3.0 client: the initializer call,
// synchronous round trips and failures, an asynchronous invocation held
// for its delay, the order and the retries of asynchronous invocations,
// and the errors of an unknown function, an unsigned request and an
// outage.
func TestFCFront(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a function binary")
	}
	front := newFCFront(t)
	bin := buildTestdata(t, "echofc", "echofc")
	logPath := filepath.Join(t.TempDir(), "echo.log")
	front.AddFunction(t, "echo", bin, []string{"ECHO_LOG=" + logPath, "ECHO_TAG=fc-tag"})
	client := newFrontFCClient(t, front.URL())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	invoke := func(t *testing.T, typ string, payload string,
		extra map[string]*string) *fc.InvokeFunctionResponse {
		t.Helper()
		out, err := client.InvokeFunctionWithContext(ctx, dara.String("echo"),
			&fc.InvokeFunctionRequest{Body: strings.NewReader(payload)},
			&fc.InvokeFunctionHeaders{XFcInvocationType: dara.String(typ), CommonHeaders: extra},
			&dara.RuntimeOptions{})
		if err != nil {
			t.Fatalf("InvokeFunction %s %s: %v", typ, payload, err)
		}
		return out
	}
	body := func(t *testing.T, out *fc.InvokeFunctionResponse) string {
		t.Helper()
		if out.Body == nil {
			return ""
		}
		b, err := io.ReadAll(out.Body)
		if c, ok := out.Body.(io.Closer); ok {
			c.Close()
		}
		if err != nil {
			t.Fatalf("read the answer: %v", err)
		}
		return string(b)
	}
	stats := func() frontStats { return front.Stats()["echo"] }
	idle := func(t *testing.T) { t.Helper(); waitIdle(ctx, t, front) }

	t.Run("Initialize", func(t *testing.T) {
		var inits int
		for _, rec := range readLog[echofcRecord](t, logPath) {
			if rec.Path == "/initialize" {
				inits++
				if rec.Function != "echo" || rec.RequestID == "" {
					t.Errorf("/initialize had function %q, request ID %q", rec.Function,
						rec.RequestID)
				}
			}
		}
		if inits != 1 {
			t.Errorf("the function was initialized %d times, want once", inits)
		}
	})

	t.Run("Sync", func(t *testing.T) {
		before := stats()
		const payload = `{"n":"sync","i":1}`
		out := invoke(t, "Sync", payload, nil)
		if got := body(t, out); dara.Int32Value(out.StatusCode) != http.StatusOK || got != payload {
			t.Errorf("status %d, body %s; want 200 and the input %s",
				dara.Int32Value(out.StatusCode), got, payload)
		}
		if e := dara.StringValue(out.Headers["x-fc-error-type"]); e != "" {
			t.Errorf("x-fc-error-type %q on a success", e)
		}
		recs := fcRecords(t, logPath, "sync")
		if len(recs) != 1 {
			t.Fatalf("the function ran %d times, want once", len(recs))
		}
		rid := dara.StringValue(out.Headers["x-fc-request-id"])
		if rec := recs[0]; rec.RequestID != rid || rid == "" || rec.Function != "echo" ||
			rec.ContentType != "application/octet-stream" || rec.Tag != "fc-tag" {
			t.Errorf("the function saw %+v; want request %q, function echo, "+
				"application/octet-stream, tag fc-tag", rec, rid)
		}
		if d := statsDelta(before, stats()); d != (frontStats{Synchronous: 1, Executions: 1}) {
			t.Errorf("stats moved by %+v, want one synchronous execution", d)
		}
	})

	t.Run("SyncFailure", func(t *testing.T) {
		out := invoke(t, "Sync", `{"n":"syncfail","fail":true}`, nil)
		got := body(t, out)
		if dara.Int32Value(out.StatusCode) != http.StatusOK ||
			dara.StringValue(out.Headers["x-fc-error-type"]) != "UnhandledInvocationError" ||
			!strings.Contains(got, "asked to fail") {
			t.Errorf("status %d, x-fc-error-type %q, body %s; want 200, "+
				"UnhandledInvocationError and the function's error",
				dara.Int32Value(out.StatusCode), dara.StringValue(out.Headers["x-fc-error-type"]),
				got)
		}
	})

	t.Run("AsyncDelay", func(t *testing.T) {
		before := stats()
		sent := time.Now()
		out := invoke(t, "Async", `{"n":"delay"}`, map[string]*string{
			"x-fc-async-delay": dara.String("1")})
		if dara.Int32Value(out.StatusCode) != http.StatusAccepted || body(t, out) != "" {
			t.Errorf("status %d, want 202 and no body", dara.Int32Value(out.StatusCode))
		}
		if d := statsDelta(before, stats()); d.Executions != 0 {
			t.Errorf("the delayed invocation ran at once")
		}
		idle(t)
		recs := fcRecords(t, logPath, "delay")
		if len(recs) != 1 {
			t.Fatalf("the delayed invocation ran %d times, want once", len(recs))
		}
		// The record's time is in whole milliseconds, rounded down: so
		// is the time the invocation was sent, to compare.
		if wait := time.UnixMilli(recs[0].At).Sub(time.UnixMilli(sent.UnixMilli())); wait <
			time.Second {
			t.Errorf("the delayed invocation arrived after %v, want at least 1s", wait)
		}
		if d := statsDelta(before, stats()); d != (frontStats{Accepted: 1, Executions: 1}) {
			t.Errorf("stats moved by %+v, want 1 accepted and executed", d)
		}
	})

	t.Run("AsyncOrder", func(t *testing.T) {
		const n = 10
		for i := range n {
			invoke(t, "Async", fmt.Sprintf(`{"n":"order","i":%d}`, i), nil)
		}
		idle(t)
		recs := fcRecords(t, logPath, "order")
		var got []int
		for _, rec := range recs {
			var m marker
			json.Unmarshal(rec.Body, &m)
			got = append(got, m.I)
		}
		if len(got) != n || !sort.IntsAreSorted(got) {
			t.Errorf("delivered %v, want 0 to %d in order", got, n-1)
		}
	})

	t.Run("AsyncRetries", func(t *testing.T) {
		before := stats()
		invoke(t, "Async", `{"n":"retry","fail":true}`, nil)
		idle(t)
		if d := statsDelta(before, stats()); d != (frontStats{Accepted: 1, Executions: 3,
			Failures: 3, Dropped: 1}) {
			t.Errorf("stats moved by %+v, want 1 accepted, 3 failed executions, 1 dropped", d)
		}
		recs := fcRecords(t, logPath, "retry")
		if len(recs) != frontAttempts {
			t.Fatalf("the failing invocation ran %d times, want %d", len(recs), frontAttempts)
		}
		for k := 1; k < len(recs); k++ {
			if recs[k].RequestID != recs[0].RequestID {
				t.Errorf("retry %d has request ID %q, want %q", k, recs[k].RequestID,
					recs[0].RequestID)
			}
			if gap := time.Duration(recs[k].At-recs[k-1].At) * time.Millisecond; gap <
				frontRetryPause-10*time.Millisecond {
				t.Errorf("retry %d came %v after the failure, want at least %v", k, gap,
					frontRetryPause)
			}
		}
	})

	t.Run("BadDelay", func(t *testing.T) {
		_, err := client.InvokeFunctionWithContext(ctx, dara.String("echo"),
			&fc.InvokeFunctionRequest{Body: strings.NewReader(`{}`)},
			&fc.InvokeFunctionHeaders{XFcInvocationType: dara.String("Async"),
				CommonHeaders: map[string]*string{"x-fc-async-delay": dara.String("3601")}},
			&dara.RuntimeOptions{})
		if status, code := fcStatus(err); status != http.StatusBadRequest || code != "InvalidArgument" {
			t.Errorf("a delay of 3601 s = %v (%d %s), want 400 InvalidArgument", err, status, code)
		}
	})

	t.Run("UnknownFunction", func(t *testing.T) {
		_, err := client.InvokeFunctionWithContext(ctx, dara.String("nope"),
			&fc.InvokeFunctionRequest{Body: strings.NewReader(`{}`)},
			&fc.InvokeFunctionHeaders{XFcInvocationType: dara.String("Async")},
			&dara.RuntimeOptions{})
		if status, code := fcStatus(err); status != http.StatusNotFound || code != "FunctionNotFound" {
			t.Errorf("InvokeFunction nope = %v (%d %s), want 404 FunctionNotFound", err, status,
				code)
		}
	})

	t.Run("Unsigned", func(t *testing.T) {
		before := stats()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost,
			front.URL()+"/2023-03-30/functions/echo/invocations", bytes.NewReader([]byte(`{}`)))
		req.Header.Set("x-acs-date", time.Now().UTC().Format(time.RFC3339))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("an unsigned request: status %d, want 403", resp.StatusCode)
		}
		if d := statsDelta(before, stats()); d != (frontStats{}) {
			t.Errorf("an unsigned request moved the stats by %+v", d)
		}
	})

	t.Run("Down", func(t *testing.T) {
		before := stats()
		front.SetDown(true)
		for _, typ := range []string{"Async", "Sync"} {
			_, err := client.InvokeFunctionWithContext(ctx, dara.String("echo"),
				&fc.InvokeFunctionRequest{Body: strings.NewReader(`{"n":"down"}`)},
				&fc.InvokeFunctionHeaders{XFcInvocationType: dara.String(typ)},
				&dara.RuntimeOptions{})
			if status, _ := fcStatus(err); status != http.StatusServiceUnavailable {
				t.Errorf("%s while down = %v (status %d), want a 503", typ, err, status)
			}
		}
		front.SetDown(false)
		idle(t)
		if d := statsDelta(before, stats()); d != (frontStats{Refused: 2}) {
			t.Errorf("stats moved by %+v, want 2 refused and nothing run", d)
		}
		if recs := fcRecords(t, logPath, "down"); len(recs) != 0 {
			t.Errorf("a refused invocation ran: %+v", recs)
		}
		if got := body(t, invoke(t, "Sync", `{"n":"up"}`, nil)); got != `{"n":"up"}` {
			t.Errorf("after the outage: body %s", got)
		}
	})
}

// TestFrontsIdleTogether checks idleFronts on two fronts whose functions
// (stand-ins, without processes) invoke each other in a chain, some hops
// delayed: it returns only once the whole chain has run, though each
// front is idle for a while in between.
func TestFrontsIdleTogether(t *testing.T) {
	a := &fcFront{core: newFrontCore(t, "a", http.NotFoundHandler()), Timeout: time.Minute}
	b := &lambdaFront{core: newFrontCore(t, "b", http.NotFoundHandler())}
	const hops = 12
	var ran atomic.Int32
	var fa, fb *frontFunc
	// hop runs one link of the chain and queues the next on the other
	// front, every third one held for 30 ms.
	hop := func(next *frontCore, to **frontFunc) deliverFunc {
		return func(ctx context.Context, it *frontItem) frontResult {
			time.Sleep(5 * time.Millisecond)
			if n := ran.Add(1); n < hops {
				delay := time.Duration(0)
				if n%3 == 0 {
					delay = 30 * time.Millisecond
				}
				next.enqueue(*to, &frontItem{id: newRequestID(), payload: []byte("{}")}, delay)
			}
			return frontResult{}
		}
	}
	a.core.add(t, "fa", hop(b.core, &fb))
	b.core.add(t, "fb", hop(a.core, &fa))
	fa, fb = a.core.lookup("fa"), b.core.lookup("fb")
	a.core.enqueue(fa, &frontItem{id: newRequestID(), payload: []byte("{}")}, 0)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := idleFronts(ctx, a, b); err != nil {
		t.Fatalf("idleFronts: %v", err)
	}
	if n := ran.Load(); n != hops {
		t.Errorf("idleFronts returned after %d of %d hops", n, hops)
	}
	if got := a.Stats()["fa"].Executions + b.Stats()["fb"].Executions; got != hops {
		t.Errorf("the fronts counted %d executions, want %d", got, hops)
	}

	// A front with work held is busy.
	a.core.enqueue(fa, &frontItem{id: newRequestID(), payload: []byte("{}")}, time.Second)
	short, scancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer scancel()
	if err := idleFronts(short, a, b); err == nil || !strings.Contains(err.Error(), "1 held") {
		t.Errorf("idleFronts with an invocation held = %v, want an error naming it", err)
	}
}
