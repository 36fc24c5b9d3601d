package aws

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// awsCall is one request a fake service got, with its JSON body decoded.
type awsCall struct {
	Path   string
	Header http.Header
	Body   map[string]any
	Raw    string
}

// fakeSQS is an httptest handler that answers SendMessage as SQS does in
// its JSON protocol (X-Amz-Target: AmazonSQS.SendMessage), with the MD5 of
// the body that the SDK checks, and records the requests it gets. Like
// SQS, it refuses a body with a character outside #x9 | #xA | #xD |
// #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF (InvalidMessageContents).
type fakeSQS struct {
	mu    sync.Mutex
	calls []awsCall
}

func (f *fakeSQS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	call, err := readCall(r)
	if err != nil || r.Header.Get("X-Amz-Target") != "AmazonSQS.SendMessage" {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"__type":"com.amazonaws.sqs#InvalidAction","message":"bad"}`)
		return
	}
	body, _ := call.Body["MessageBody"].(string)
	if !sqsCharacters(body) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.Header().Set("X-Amzn-Query-Error", "InvalidMessageContents;Sender")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"__type":"com.amazonaws.sqs#InvalidMessageContents",`+
			`"message":"Invalid characters found."}`)
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, call)
	n := len(f.calls)
	f.mu.Unlock()
	sum := md5.Sum([]byte(body))
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	json.NewEncoder(w).Encode(map[string]string{
		"MessageId":        "m" + string(rune('0'+n)),
		"MD5OfMessageBody": hex.EncodeToString(sum[:]),
	})
}

// sqsCharacters reports whether body has only characters SQS takes.
func sqsCharacters(body string) bool {
	for _, r := range body {
		ok := r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) ||
			(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
		if !ok {
			return false
		}
	}
	return true
}

func (f *fakeSQS) takeCalls() []awsCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	calls := f.calls
	f.calls = nil
	return calls
}

// fakeScheduler is an httptest handler that answers CreateSchedule as
// EventBridge Scheduler does (POST /schedules/NAME): ConflictException
// for a name it has, and fail, when not zero, as the status of every
// answer. It records the requests it gets.
type fakeScheduler struct {
	mu        sync.Mutex
	calls     []awsCall
	schedules map[string]bool
	fail      int
}

func (f *fakeScheduler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	call, err := readCall(r)
	name, ok := strings.CutPrefix(r.URL.Path, "/schedules/")
	if err != nil || !ok || r.Method != http.MethodPost {
		schedulerError(w, http.StatusBadRequest, "ValidationException")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
	switch {
	case f.fail != 0:
		schedulerError(w, f.fail, "InternalServerException")
	case f.schedules[name]:
		schedulerError(w, http.StatusConflict, "ConflictException")
	default:
		f.schedules[name] = true
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ScheduleArn":"arn:aws:scheduler:us-east-1:123456789012:schedule/`+
			`jlgen/`+name+`"}`)
	}
}

func (f *fakeScheduler) takeCalls() []awsCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	calls := f.calls
	f.calls = nil
	return calls
}

func schedulerError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	io.WriteString(w, `{"Message":"`+code+` for the test"}`)
}

// readCall reads a request with a JSON body.
func readCall(r *http.Request) (awsCall, error) {
	raw, _ := io.ReadAll(r.Body)
	c := awsCall{Path: r.URL.Path, Header: r.Header.Clone(), Raw: string(raw)}
	return c, json.Unmarshal(raw, &c.Body)
}

const (
	testQueueURL = "https://sqs.us-east-1.amazonaws.com/123456789012/jlgen-delays"
	testRole     = "arn:aws:iam::123456789012:role/jlgen-scheduler"
)

// delayRig is a fake Lambda, SQS and Scheduler, and an invoker wired to
// them with the queue, the scheduler and a fixed clock.
type delayRig struct {
	lambda    *fakeLambda
	queue     *fakeSQS
	scheduler *fakeScheduler
	opts      DelayOptions
	inv       *LambdaInvoker
	now       time.Time
}

func newDelayRig(t *testing.T) *delayRig {
	rig := &delayRig{queue: &fakeSQS{}, scheduler: &fakeScheduler{schedules: map[string]bool{}},
		now: time.Date(2026, 3, 1, 10, 0, 0, 400_000_000, time.UTC)}
	var client *lambda.Client
	rig.lambda, client = startLambda(t)
	qsrv := httptest.NewServer(rig.queue)
	t.Cleanup(qsrv.Close)
	ssrv := httptest.NewServer(rig.scheduler)
	t.Cleanup(ssrv.Close)
	rig.opts = DelayOptions{
		Queue: sqs.New(sqs.Options{Region: "us-east-1", Credentials: testCredentials,
			BaseEndpoint: &qsrv.URL, RetryMaxAttempts: 1}),
		QueueURL: testQueueURL,
		Scheduler: scheduler.New(scheduler.Options{Region: "us-east-1",
			Credentials: testCredentials, BaseEndpoint: &ssrv.URL, RetryMaxAttempts: 1}),
		SchedulerRole: testRole,
		FunctionARN:   FunctionARNs("aws", "us-east-1", "123456789012"),
		ScheduleGroup: "jlgen",
		Now:           func() time.Time { return rig.now },
	}
	rig.inv = NewLambdaInvoker(client, unitFunction, rig.opts)
	return rig
}

// with returns the rig's invoker with opts changed by edit.
func (rig *delayRig) with(edit func(*DelayOptions)) *LambdaInvoker {
	opts := rig.opts
	edit(&opts)
	return NewLambdaInvoker(rig.inv.client, unitFunction, opts)
}

// TestInvokeAfterSleeps checks the shortest route: a delay under
// SleepBelow waits in the caller and then invokes, with no queue or
// schedule, and a context that ends first stops it before any request.
func TestInvokeAfterSleeps(t *testing.T) {
	rig := newDelayRig(t)
	inv := rig.with(func(o *DelayOptions) { o.SleepBelow = 500 * time.Millisecond })
	const d = 80 * time.Millisecond

	start := time.Now()
	if err := inv.InvokeAfter(context.Background(), "task:Charge", []byte(envelope),
		d); err != nil {
		t.Fatalf("InvokeAfter(%v): %v", d, err)
	}
	if elapsed := time.Since(start); elapsed < d {
		t.Errorf("InvokeAfter(%v) returned after %v, before the delay", d, elapsed)
	}
	calls := rig.lambda.takeCalls()
	if len(calls) != 1 {
		t.Fatalf("InvokeAfter(%v) sent %d invocations, want 1", d, len(calls))
	}
	checkEventCall(t, calls[0], "orders-task-Charge", envelope)
	if n := len(rig.queue.takeCalls()) + len(rig.scheduler.takeCalls()); n != 0 {
		t.Errorf("a sleep sent %d queue or schedule requests, want 0", n)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start = time.Now()
	err := inv.InvokeAfter(ctx, "task:Charge", []byte(envelope), 400*time.Millisecond)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("InvokeAfter with a context that ends during the sleep = %v, "+
			"want its deadline error", err)
	}
	if elapsed := time.Since(start); elapsed >= 400*time.Millisecond {
		t.Errorf("the canceled sleep lasted %v, the whole delay", elapsed)
	}
	if n := len(rig.lambda.takeCalls()); n != 0 {
		t.Errorf("a canceled sleep sent %d invocations, want 0", n)
	}
}

// TestInvokeAfterQueue checks the middle route: one SendMessage to the
// delay queue per delay, with DelaySeconds rounded up and a body that
// names the function and embeds the payload byte for byte; and that Relay,
// given those messages as SQS delivers them, invokes the function with
// the payload as it was.
func TestInvokeAfterQueue(t *testing.T) {
	rig := newDelayRig(t)
	ctx := context.Background()
	delays := map[time.Duration]float64{
		2500 * time.Millisecond: 3,
		90 * time.Second:        90,
		MaxQueueDelay:           900,
	}
	var ev events.SQSEvent
	for d, want := range delays {
		if err := rig.inv.InvokeAfter(ctx, "task:Charge", []byte(envelope), d); err != nil {
			t.Fatalf("InvokeAfter(%v): %v", d, err)
		}
		calls := rig.queue.takeCalls()
		if len(calls) != 1 {
			t.Fatalf("InvokeAfter(%v) sent %d messages, want 1", d, len(calls))
		}
		c := calls[0]
		if got := c.Body["DelaySeconds"]; got != want {
			t.Errorf("InvokeAfter(%v): DelaySeconds %v, want %v", d, got, want)
		}
		if got := c.Body["QueueUrl"]; got != testQueueURL {
			t.Errorf("QueueUrl %v, want %s", got, testQueueURL)
		}
		if auth := c.Header.Get("Authorization"); !strings.Contains(auth, "/us-east-1/sqs/") {
			t.Errorf("Authorization: %q, want a SigV4 signature for sqs", auth)
		}
		body, _ := c.Body["MessageBody"].(string)
		want := `{"function":"orders-task-Charge","payload":` + envelope + `}`
		if body != want {
			t.Errorf("MessageBody %s, want %s", body, want)
		}
		ev.Records = append(ev.Records, events.SQSMessage{MessageId: d.String(), Body: body})
	}
	if n := len(rig.lambda.takeCalls()) + len(rig.scheduler.takeCalls()); n != 0 {
		t.Errorf("queued delays sent %d invocations or schedules, want 0", n)
	}

	resp, err := Relay(ctx, rig.inv, ev)
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("Relay = %+v, %v; want no failures", resp, err)
	}
	calls := rig.lambda.takeCalls()
	if len(calls) != len(delays) {
		t.Fatalf("Relay sent %d invocations, want %d", len(calls), len(delays))
	}
	for _, c := range calls {
		checkEventCall(t, c, "orders-task-Charge", envelope)
	}
}

// TestInvokeAfterQueueRefusals checks that the queue route refuses, before
// sending anything, what SQS or the relay could not take: no queue
// configured, a message over the queue's size, a payload that is not
// JSON; and that SQS's own failure comes back.
func TestInvokeAfterQueueRefusals(t *testing.T) {
	rig := newDelayRig(t)
	ctx := context.Background()
	const d = time.Minute

	err := rig.with(func(o *DelayOptions) { o.Queue = nil }).
		InvokeAfter(ctx, "task:Charge", []byte(envelope), d)
	if !errors.Is(err, ErrDelayUnconfigured) || !strings.Contains(err.Error(), "DelayOptions.Queue") {
		t.Errorf("InvokeAfter(%v) without a queue = %v, want an error naming DelayOptions.Queue",
			d, err)
	}
	err = rig.with(func(o *DelayOptions) { o.QueueURL = "" }).
		InvokeAfter(ctx, "task:Charge", []byte(envelope), d)
	if !errors.Is(err, ErrDelayUnconfigured) || !strings.Contains(err.Error(), "QueueURL") {
		t.Errorf("InvokeAfter(%v) without a queue URL = %v, want an error naming QueueURL",
			d, err)
	}

	big := `{"input":"` + strings.Repeat("x", MaxQueueMessage) + `"}`
	err = rig.inv.InvokeAfter(ctx, "task:Charge", []byte(big), d)
	if err == nil || !strings.Contains(err.Error(), "over the queue's limit") {
		t.Errorf("InvokeAfter of a %d-byte payload = %v, want an oversize error", len(big), err)
	}
	small := rig.with(func(o *DelayOptions) { o.MaxMessage = len(envelope) + 40 })
	if err := small.InvokeAfter(ctx, "task:Charge", []byte(envelope), d); err == nil {
		t.Errorf("InvokeAfter over a MaxMessage of %d succeeded", len(envelope)+40)
	}
	if err := rig.inv.InvokeAfter(ctx, "task:Charge", []byte("not json"), d); err == nil {
		t.Errorf("InvokeAfter of a payload that is not JSON succeeded")
	}
	if n := len(rig.queue.takeCalls()); n != 0 {
		t.Errorf("refused delays sent %d messages, want 0", n)
	}

	fits := rig.with(func(o *DelayOptions) { o.MaxMessage = len(envelope) + 60 })
	if err := fits.InvokeAfter(ctx, "task:Charge", []byte(envelope), d); err != nil {
		t.Errorf("InvokeAfter within a MaxMessage of %d: %v", len(envelope)+60, err)
	}
}

// TestInvokeAfterQueueCharacters checks that a payload with characters
// SQS refuses in a message body (the noncharacters U+FFFE and U+FFFF, and
// bytes that are not UTF-8, which JSON decoders read as U+FFFD) is queued
// all the same, and that Relay invokes the target with a payload that
// decodes to the same value.
func TestInvokeAfterQueueCharacters(t *testing.T) {
	rig := newDelayRig(t)
	ctx := context.Background()
	payload := "{\"input\": \"a\uffffb\ufffec\xffd\", \"n\": 1}"
	if err := rig.inv.InvokeAfter(ctx, "task:Charge", []byte(payload), time.Minute); err != nil {
		t.Fatalf("InvokeAfter of a payload with U+FFFF, U+FFFE and a stray byte: %v", err)
	}
	calls := rig.queue.takeCalls()
	if len(calls) != 1 {
		t.Fatalf("InvokeAfter sent %d messages, want 1", len(calls))
	}
	body, _ := calls[0].Body["MessageBody"].(string)
	resp, err := Relay(ctx, rig.inv, events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "m", Body: body}}})
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("Relay = %+v, %v; want no failures", resp, err)
	}
	invoked := rig.lambda.takeCalls()
	if len(invoked) != 1 {
		t.Fatalf("Relay sent %d invocations, want 1", len(invoked))
	}
	var want, got any
	if err := json.Unmarshal([]byte(payload), &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(invoked[0].Body), &got); err != nil {
		t.Fatalf("relayed payload %q: %v", invoked[0].Body, err)
	}
	if !bytes.Equal(mustMarshal(t, got), mustMarshal(t, want)) {
		t.Errorf("relayed payload decodes to %v, want %v", got, want)
	}
}

// scheduleName matches a name EventBridge Scheduler accepts.
var scheduleName = regexp.MustCompile(`^[0-9a-zA-Z._-]{1,64}$`)

// TestInvokeAfterSchedule checks the long route: one CreateSchedule of a
// one-time schedule at the due time in UTC, rounded up to the second, with
// no flexible window, deleted after it runs, whose target is the
// function's ARN with the payload as input; and that a duplicate caller's
// schedule, refused with ConflictException, counts as done.
func TestInvokeAfterSchedule(t *testing.T) {
	rig := newDelayRig(t)
	ctx := context.Background()
	const d = 2 * time.Hour

	if err := rig.inv.InvokeAfter(ctx, "task:Charge", []byte(envelope), d); err != nil {
		t.Fatalf("InvokeAfter(%v): %v", d, err)
	}
	calls := rig.scheduler.takeCalls()
	if len(calls) != 1 {
		t.Fatalf("InvokeAfter(%v) sent %d schedules, want 1", d, len(calls))
	}
	c := calls[0]
	name := strings.TrimPrefix(c.Path, "/schedules/")
	if !scheduleName.MatchString(name) {
		t.Errorf("schedule name %q is not one Scheduler accepts", name)
	}
	if auth := c.Header.Get("Authorization"); !strings.Contains(auth,
		"/us-east-1/scheduler/") {
		t.Errorf("Authorization: %q, want a SigV4 signature for scheduler", auth)
	}
	want := map[string]any{
		"ScheduleExpression":         "at(2026-03-01T12:00:01)",
		"ScheduleExpressionTimezone": "UTC",
		"FlexibleTimeWindow":         map[string]any{"Mode": "OFF"},
		"ActionAfterCompletion":      "DELETE",
		"GroupName":                  "jlgen",
		"Target": map[string]any{
			"Arn":     "arn:aws:lambda:us-east-1:123456789012:function:orders-task-Charge",
			"RoleArn": testRole,
			"Input":   envelope,
		},
	}
	for k, v := range want {
		if got, _ := json.Marshal(c.Body[k]); !bytes.Equal(got, mustMarshal(t, v)) {
			t.Errorf("CreateSchedule %s = %s, want %s", k, got, mustMarshal(t, v))
		}
	}
	if n := len(rig.lambda.takeCalls()) + len(rig.queue.takeCalls()); n != 0 {
		t.Errorf("a scheduled delay sent %d invocations or messages, want 0", n)
	}

	// A duplicate of the caller, a little later and on a clock in another
	// zone, schedules the same invocation.
	rig.now = rig.now.Add(3 * time.Second).In(time.FixedZone("UTC+8", 8*3600))
	if err := rig.inv.InvokeAfter(ctx, "task:Charge", []byte(envelope), d); err != nil {
		t.Errorf("duplicate InvokeAfter(%v), refused with ConflictException: %v", d, err)
	}
	dup := rig.scheduler.takeCalls()
	if len(dup) != 1 || dup[0].Path != c.Path {
		t.Fatalf("duplicate sent %d schedules, want 1 of the same name", len(dup))
	}
	if got := dup[0].Body["ScheduleExpression"]; got != "at(2026-03-01T12:00:04)" {
		t.Errorf("duplicate's ScheduleExpression %v, want at(2026-03-01T12:00:04) in UTC", got)
	}

	other := strings.Replace(envelope, `"step": 3`, `"step": 4`, 1)
	if err := rig.inv.InvokeAfter(ctx, "task:Charge", []byte(other), d); err != nil {
		t.Fatalf("InvokeAfter of another payload: %v", err)
	}
	if next := rig.scheduler.takeCalls(); len(next) != 1 || next[0].Path == c.Path {
		t.Errorf("another payload got the same schedule name, %s", c.Path)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestInvokeAfterScheduleRefusals checks that the long route names the
// setting it lacks, refuses an input over Scheduler's limit before sending
// it, and returns Scheduler's own failures.
func TestInvokeAfterScheduleRefusals(t *testing.T) {
	rig := newDelayRig(t)
	ctx := context.Background()
	const d = 16 * time.Minute
	for setting, edit := range map[string]func(*DelayOptions){
		"DelayOptions.Scheduler":     func(o *DelayOptions) { o.Scheduler = nil },
		"DelayOptions.SchedulerRole": func(o *DelayOptions) { o.SchedulerRole = "" },
		"DelayOptions.FunctionARN":   func(o *DelayOptions) { o.FunctionARN = nil },
	} {
		err := rig.with(edit).InvokeAfter(ctx, "task:Charge", []byte(envelope), d)
		if !errors.Is(err, ErrDelayUnconfigured) || !strings.Contains(err.Error(), setting) {
			t.Errorf("InvokeAfter(%v) without %s = %v, want an error naming it", d, setting, err)
		}
	}
	big := `{"input":"` + strings.Repeat("x", MaxScheduleInput) + `"}`
	if err := rig.inv.InvokeAfter(ctx, "task:Charge", []byte(big), d); err == nil ||
		!strings.Contains(err.Error(), "over EventBridge Scheduler's limit") {
		t.Errorf("InvokeAfter of a %d-byte payload = %v, want an oversize error", len(big), err)
	}
	if n := len(rig.scheduler.takeCalls()); n != 0 {
		t.Errorf("refused delays sent %d schedules, want 0", n)
	}

	// A mapping that gives ARNs needs no FunctionARN.
	arns := NewLambdaInvoker(rig.inv.client, func(unit string) string {
		return "arn:aws:lambda:us-east-1:123456789012:function:" + unitFunction(unit)
	}, rig.opts)
	arns.delay.FunctionARN = nil
	if err := arns.InvokeAfter(ctx, "task:Charge", []byte(envelope), d); err != nil {
		t.Errorf("InvokeAfter with an ARN mapping and no FunctionARN: %v", err)
	}
	rig.scheduler.takeCalls()

	rig.scheduler.fail = http.StatusInternalServerError
	err := rig.inv.InvokeAfter(ctx, "task:Charge", []byte(envelope), d)
	if err == nil || Classify(err) != jlrt.FailureUnavailable {
		t.Errorf("InvokeAfter answered 500 = %v (%v), want an unavailable failure", err,
			Classify(err))
	}
}

// TestRelay checks that the relay invokes the target of each record and
// reports exactly the records it could not invoke (a throttled target, a
// body that is not a message of the delay queue, one without payload) as
// batch item failures, in order, logging each one's reason.
func TestRelay(t *testing.T) {
	rig := newDelayRig(t)
	rig.lambda.answer("busy", erroring(http.StatusTooManyRequests, "TooManyRequestsException"))
	var logs bytes.Buffer
	inv := rig.with(func(o *DelayOptions) { o.Log = slog.New(slog.NewTextHandler(&logs, nil)) })
	ev := events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "ok", Body: `{"function":"ready","payload":` + envelope + `}`},
		{MessageId: "throttled", Body: `{"function":"busy","payload":{"n":1}}`},
		{MessageId: "garbled", Body: `{"function":`},
		{MessageId: "empty", Body: `{"function":"ready"}`},
		{MessageId: "ok2", Body: `{"function":"ready","payload":[1, 2]}`},
	}}

	resp, err := Relay(context.Background(), inv, ev)
	if err != nil {
		t.Fatalf("Relay returned an error, which fails the whole batch: %v", err)
	}
	var failed []string
	for _, f := range resp.BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	if want := []string{"throttled", "garbled", "empty"}; strings.Join(failed, ",") !=
		strings.Join(want, ",") {
		t.Errorf("batch item failures %v, want %v", failed, want)
	}
	bodies := map[string][]string{}
	for _, c := range rig.lambda.takeCalls() {
		if c.Header.Get("X-Amz-Invocation-Type") != "Event" {
			t.Errorf("relay invoked %s as %q, want Event", c.Function,
				c.Header.Get("X-Amz-Invocation-Type"))
		}
		bodies[c.Function] = append(bodies[c.Function], c.Body)
	}
	if got := strings.Join(bodies["ready"], "|"); got != envelope+"|[1, 2]" &&
		got != "[1, 2]|"+envelope {
		t.Errorf("relay invoked ready with %q, want the two payloads as they are", got)
	}
	if len(bodies["busy"]) != 1 {
		t.Errorf("relay invoked busy %d times, want 1", len(bodies["busy"]))
	}
	if n := strings.Count(logs.String(), "relay of a delayed invocation failed"); n != 3 {
		t.Errorf("relay logged %d failures, want 3:\n%s", n, logs.String())
	}
}

// TestScheduleNameAndARNs checks the schedule name's form and that it
// depends on the function and the payload only, and the ARN mapping.
func TestScheduleNameAndARNs(t *testing.T) {
	a := ScheduleName("orders-task-Charge", []byte(envelope))
	if !scheduleName.MatchString(a) || len(a) > 64 {
		t.Errorf("ScheduleName = %q, not a name Scheduler accepts", a)
	}
	if b := ScheduleName("orders-task-Charge", []byte(envelope)); b != a {
		t.Errorf("ScheduleName is not deterministic: %q, %q", a, b)
	}
	if b := ScheduleName("orders-task-Refund", []byte(envelope)); b == a {
		t.Errorf("two functions share the schedule name %q", a)
	}
	if b := ScheduleName("orders-task-Charg", []byte("e"+envelope)); b == a {
		t.Errorf("moving a byte from function to payload keeps the name %q", a)
	}
	arn := FunctionARNs("aws-cn", "cn-north-1", "123456789012")
	if got, want := arn("f"), "arn:aws-cn:lambda:cn-north-1:123456789012:function:f"; got != want {
		t.Errorf("FunctionARNs(...)(f) = %q, want %q", got, want)
	}
	if got := arn("arn:aws:lambda:x"); got != "arn:aws:lambda:x" {
		t.Errorf("FunctionARNs changed an ARN: %q", got)
	}
}
