package cloud_test

// This file holds the fronts of the end-to-end tests: local stand-ins for
// the invocation APIs of AWS Lambda and Alibaba Function Compute 3.0, in
// front of the real function binaries. The Lambda front runs each function
// under AWS's Runtime Interface Emulator (RIE), which serves one
// synchronous invocation at a time and nothing else; the Function Compute
// front runs each function as the custom-runtime HTTP server it is. Both
// add what no emulator gives: the asynchronous queue, its retries, the
// delay of Function Compute, an outage switch, and counters to assert on.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// rieEnv names the environment variable that holds the path of the
// Lambda Runtime Interface Emulator binary (aws-lambda-rie).
const rieEnv = "JLGEN_LAMBDA_RIE"

// The fronts' constants.
const (
	// frontAttempts is how many times a front delivers an asynchronous
	// invocation that keeps failing: the first delivery and two retries,
	// as Lambda and Function Compute do by default.
	frontAttempts = 3
	// frontRetryPause is the pause before a retry. The clouds wait a
	// minute or more; the tests cannot.
	frontRetryPause = 200 * time.Millisecond
	// frontStartTimeout bounds the wait for a started process to accept
	// connections.
	frontStartTimeout = 15 * time.Second
	// frontStopGrace is how long a process has to exit after SIGTERM
	// before its process group is killed.
	frontStopGrace = 3 * time.Second
	// frontLogTail is how much of a process's output a failed test logs.
	frontLogTail = 64 << 10
)

// The payload limits of Lambda's Invoke.
const (
	lambdaEventLimit = 1 << 20 // an asynchronous invocation, 1 MB
	lambdaSyncLimit  = 6 << 20 // a synchronous invocation, 6 MB
)

// frontStats counts what a front did for one function.
type frontStats struct {
	// Accepted is the asynchronous invocations the front queued.
	Accepted int
	// Synchronous is the synchronous invocations it ran.
	Synchronous int
	// Refused is the invocations it refused while down.
	Refused int
	// Executions is the deliveries to the function, retries included.
	Executions int
	// Failures is the deliveries that failed: the function returned an
	// error, timed out or crashed, or could not be reached.
	Failures int
	// Dropped is the asynchronous invocations that failed on every
	// attempt, which a cloud would hand to a dead-letter destination.
	Dropped int
}

// frontItem is one invocation on its way to a function.
type frontItem struct {
	// id is the invocation's request ID, kept across retries.
	id      string
	payload []byte
	// attempt counts the failed deliveries so far.
	attempt int
	// reply receives the outcome of a synchronous invocation; it is nil
	// for an asynchronous one.
	reply chan frontResult
}

// frontResult is the outcome of one delivery.
type frontResult struct {
	// body is the function's answer, or its error document.
	body []byte
	// failed is set when the function failed: it returned an error,
	// timed out or crashed.
	failed bool
	// err is set when the front could not get an answer from the
	// function at all.
	err error
}

// bad reports whether the delivery counts as a failure.
func (r frontResult) bad() bool { return r.failed || r.err != nil }

// deliverFunc delivers one invocation to a function's process.
type deliverFunc func(ctx context.Context, it *frontItem) frontResult

// frontFunc is one function of a front: a FIFO queue drained by a single
// worker goroutine, so the function never runs two invocations at once.
type frontFunc struct {
	name    string
	deliver deliverFunc
	ctx     context.Context
	cancel  context.CancelFunc
	wake    chan struct{}
	done    chan struct{}

	// Guarded by frontCore.mu.
	queue   []*frontItem
	running bool
	// held counts the invocations waiting out a delay or a retry pause.
	held  int
	stats frontStats
}

// frontCore is what both fronts share: the HTTP server, the functions
// with their queues and workers, the outage switch and the counters.
type frontCore struct {
	kind   string
	url    string
	srv    *http.Server
	ctx    context.Context
	cancel context.CancelFunc
	down   atomic.Bool
	client *http.Client

	mu  sync.Mutex
	fns map[string]*frontFunc
	// enqueued counts the invocations put in a queue or held, retries
	// included: while it stands still, no new work has appeared.
	enqueued uint64
}

// newFrontCore starts an HTTP server on 127.0.0.1 with handler h, and
// stops it, and every worker, when t ends.
func newFrontCore(t *testing.T, kind string, h http.Handler) *frontCore {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("%s front: listen: %v", kind, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &frontCore{
		kind:   kind,
		url:    "http://" + l.Addr().String(),
		srv:    &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
		ctx:    ctx,
		cancel: cancel,
		client: &http.Client{Transport: &http.Transport{Proxy: nil}},
		fns:    map[string]*frontFunc{},
	}
	go c.srv.Serve(l)
	t.Cleanup(func() {
		c.cancel()
		c.srv.Close()
		c.client.CloseIdleConnections()
	})
	return c
}

// add registers the function name, delivered to by deliver, and starts
// its worker. The worker stops, and the name is forgotten, when stop is
// called.
func (c *frontCore) add(t *testing.T, name string, deliver deliverFunc) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(c.ctx)
	fn := &frontFunc{name: name, deliver: deliver, ctx: ctx, cancel: cancel,
		wake: make(chan struct{}, 1), done: make(chan struct{})}
	c.mu.Lock()
	_, dup := c.fns[name]
	if !dup {
		c.fns[name] = fn
	}
	c.mu.Unlock()
	if dup {
		cancel()
		t.Fatalf("%s front: function %q added twice", c.kind, name)
	}
	go c.work(fn)
	return func() {
		c.mu.Lock()
		delete(c.fns, name)
		c.mu.Unlock()
		cancel()
		<-fn.done
	}
}

// lookup returns the function name, or nil.
func (c *frontCore) lookup(name string) *frontFunc {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fns[name]
}

// count applies f to fn's counters.
func (c *frontCore) count(fn *frontFunc, f func(*frontStats)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(&fn.stats)
}

// enqueue puts it at the back of fn's queue once delay has passed.
func (c *frontCore) enqueue(fn *frontFunc, it *frontItem, delay time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.enqueueLocked(fn, it, delay)
}

// enqueueLocked is enqueue with c.mu held.
func (c *frontCore) enqueueLocked(fn *frontFunc, it *frontItem, delay time.Duration) {
	c.enqueued++
	if delay <= 0 {
		fn.queue = append(fn.queue, it)
		signal(fn.wake)
		return
	}
	fn.held++
	time.AfterFunc(delay, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		fn.held--
		if fn.ctx.Err() == nil {
			fn.queue = append(fn.queue, it)
			signal(fn.wake)
		}
	})
}

// signal wakes the worker that waits on ch, if it waits.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// work is fn's worker: it delivers fn's invocations one at a time, in
// order, until fn is stopped, and queues an asynchronous invocation that
// failed again after frontRetryPause, up to frontAttempts deliveries.
func (c *frontCore) work(fn *frontFunc) {
	defer close(fn.done)
	for {
		it := c.next(fn)
		if it == nil {
			return
		}
		res := fn.deliver(fn.ctx, it)
		c.mu.Lock()
		fn.stats.Executions++
		if res.bad() {
			fn.stats.Failures++
			if it.reply == nil {
				it.attempt++
				if it.attempt < frontAttempts {
					c.enqueueLocked(fn, it, frontRetryPause)
				} else {
					fn.stats.Dropped++
				}
			}
		}
		fn.running = false
		c.mu.Unlock()
		if it.reply != nil {
			it.reply <- res
		}
	}
}

// next takes the first invocation of fn's queue, waiting for one, and
// marks fn running. It returns nil once fn is stopped.
func (c *frontCore) next(fn *frontFunc) *frontItem {
	for {
		c.mu.Lock()
		if len(fn.queue) > 0 && fn.ctx.Err() == nil {
			it := fn.queue[0]
			fn.queue = fn.queue[1:]
			fn.running = true
			c.mu.Unlock()
			return it
		}
		c.mu.Unlock()
		select {
		case <-fn.wake:
		case <-fn.ctx.Done():
			return nil
		}
	}
}

// call runs one synchronous invocation of fn, behind the invocations
// already queued, and returns its outcome. It fails when ctx ends first;
// the invocation still runs.
func (c *frontCore) call(ctx context.Context, fn *frontFunc, id string,
	payload []byte) (frontResult, error) {
	it := &frontItem{id: id, payload: payload, reply: make(chan frontResult, 1)}
	c.count(fn, func(s *frontStats) { s.Synchronous++ })
	c.enqueue(fn, it, 0)
	select {
	case res := <-it.reply:
		return res, nil
	case <-ctx.Done():
		return frontResult{}, ctx.Err()
	case <-fn.ctx.Done():
		return frontResult{}, fmt.Errorf("function %s stopped", fn.name)
	}
}

// stats returns a copy of every function's counters.
func (c *frontCore) stats() map[string]frontStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]frontStats, len(c.fns))
	for name, fn := range c.fns {
		out[name] = fn.stats
	}
	return out
}

// busy describes the functions that have work queued, held or running,
// or returns "" when there are none.
func (c *frontCore) busy() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var parts []string
	for name, fn := range c.fns {
		if len(fn.queue) > 0 || fn.held > 0 || fn.running {
			parts = append(parts, fmt.Sprintf("%s (%d queued, %d held, running %v)",
				name, len(fn.queue), fn.held, fn.running))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// idle polls until no function has work queued, held or running, and
// fails with what is still busy when ctx ends first.
func (c *frontCore) idle(ctx context.Context) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		b := c.busy()
		if b == "" {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s front not idle: %s: %w", c.kind, b, ctx.Err())
		case <-tick.C:
		}
	}
}

// activity returns how many invocations c has enqueued so far.
func (c *frontCore) activity() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.enqueued
}

// front is what idleFronts needs of a front.
type front interface {
	base() *frontCore
}

// idleFronts waits until all of fronts are idle at once, polling, and
// fails with what is still busy when ctx ends first. Waiting for each
// front's Idle in turn is not enough when the functions of one invoke
// those of another: a function of the second may queue work on the first
// after the first was seen idle. idleFronts takes the fronts for idle
// when a pass finds none busy and none enqueued anything meanwhile.
func idleFronts(ctx context.Context, fronts ...front) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		var before, after uint64
		for _, f := range fronts {
			before += f.base().activity()
		}
		var busy []string
		for _, f := range fronts {
			if b := f.base().busy(); b != "" {
				busy = append(busy, f.base().kind+": "+b)
			}
		}
		for _, f := range fronts {
			after += f.base().activity()
		}
		if len(busy) == 0 && before == after {
			return nil
		}
		select {
		case <-ctx.Done():
			if len(busy) == 0 {
				busy = append(busy, "work keeps appearing")
			}
			return fmt.Errorf("fronts not idle: %s: %w", strings.Join(busy, "; "), ctx.Err())
		case <-tick.C:
		}
	}
}

// lambdaFront emulates Lambda's Invoke API for many functions, each run
// by its own RIE process: a RequestResponse invocation runs at once, as
// far as the function's earlier invocations allow, and answers the
// function's response; an Event invocation is queued (202) and delivered
// later, and retried twice more, frontRetryPause apart, when the function
// fails. Each function's invocations run one at a time, in order, since
// RIE crashes on concurrent invocations.
//
// Requests must carry a SigV4 Authorization header, which is not
// verified. A Qualifier is ignored.
type lambdaFront struct {
	core *frontCore
}

// newLambdaFront starts a Lambda front on 127.0.0.1, stopped when t ends.
// It skips t when JLGEN_LAMBDA_RIE is unset.
func newLambdaFront(t *testing.T) *lambdaFront {
	t.Helper()
	rieBinary(t)
	f := &lambdaFront{}
	f.core = newFrontCore(t, "lambda", f)
	return f
}

// rieBinary returns the path of the RIE binary, or skips t.
func rieBinary(t *testing.T) string {
	t.Helper()
	p := os.Getenv(rieEnv)
	if p == "" {
		t.Skipf("%s is unset: it names the AWS Lambda Runtime Interface Emulator "+
			"binary, which .ci/services.sh installs and sets", rieEnv)
	}
	return p
}

// URL returns the front's base URL, the BaseEndpoint of a Lambda client.
func (f *lambdaFront) URL() string { return f.core.url }

func (f *lambdaFront) base() *frontCore { return f.core }

// SetDown starts (true) or ends (false) an outage: while down, the front
// answers every Invoke with 503 ServiceException and queues nothing.
// Invocations already queued are still delivered.
func (f *lambdaFront) SetDown(down bool) { f.core.down.Store(down) }

// Stats returns every function's counters.
func (f *lambdaFront) Stats() map[string]frontStats { return f.core.stats() }

// Idle waits until no invocation is queued, held for a retry or running,
// polling, and fails when ctx ends first.
func (f *lambdaFront) Idle(ctx context.Context) error { return f.core.idle(ctx) }

// AddFunction starts an RIE process that runs bootstrap as the function
// name, with the environment os.Environ(), then env (env wins), plus
// AWS_LAMBDA_FUNCTION_NAME=name unless either sets it, and waits until
// the emulator accepts connections. The function's invocation timeout is
// RIE's, AWS_LAMBDA_FUNCTION_TIMEOUT seconds (300 unless set). The
// process is stopped when t ends, and its output logged if t failed.
func (f *lambdaFront) AddFunction(t *testing.T, name, bootstrap string, env []string) {
	t.Helper()
	rie := rieBinary(t)
	emu, api := freePort(t), freePort(t)
	full := append([]string{"AWS_LAMBDA_FUNCTION_NAME=" + name}, os.Environ()...)
	full = append(full, env...)
	timeout := 300 * time.Second
	if v, ok := lookupEnv(full, "AWS_LAMBDA_FUNCTION_TIMEOUT"); ok {
		secs, err := strconv.Atoi(v)
		if err != nil || secs <= 0 {
			t.Fatalf("lambda front: function %s: AWS_LAMBDA_FUNCTION_TIMEOUT=%q is not "+
				"a number of seconds", name, v)
		}
		timeout = time.Duration(secs) * time.Second
	}
	p := startProcess(t, "lambda function "+name, []string{rie,
		"--runtime-interface-emulator-address", emu,
		"--runtime-api-address", api,
		bootstrap}, full)
	p.waitReady(t, emu)
	url := "http://" + emu + "/2015-03-31/functions/function/invocations"
	// RIE answers a timed-out invocation itself, so the front's own
	// deadline is a backstop for an emulator that hangs.
	stop := f.core.add(t, name, f.deliver(url, timeout+30*time.Second))
	t.Cleanup(func() {
		stop()
		p.stop()
	})
}

// deliver returns the delivery of invocations to the RIE at url.
func (f *lambdaFront) deliver(url string, timeout time.Duration) deliverFunc {
	return func(ctx context.Context, it *frontItem) frontResult {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url,
			bytes.NewReader(it.payload))
		if err != nil {
			return frontResult{err: err}
		}
		req.Header.Set("X-Amzn-RequestId", it.id)
		resp, err := f.core.client.Do(req)
		if err != nil {
			return frontResult{err: fmt.Errorf("invoke the emulator: %w", err)}
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return frontResult{err: fmt.Errorf("read the emulator's answer: %w", err)}
		}
		return rieOutcome(resp.StatusCode, body)
	}
}

// rieTimeout begins the body RIE answers for a timed-out invocation.
const rieTimeout = "Task timed out after "

// rieOutcome reads what RIE answered for one invocation. RIE sets no
// X-Amz-Function-Error: it answers a handled function error 200 with the
// runtime's error document ({"errorMessage", "errorType", "stackTrace"}),
// a timeout 200 with the text "Task timed out after N.00 seconds", and a
// runtime that exited (a Go panic) or failed to start 502 with the error
// document. Any other status is the emulator's own failure.
func rieOutcome(status int, body []byte) frontResult {
	switch {
	case status == http.StatusOK && bytes.HasPrefix(body, []byte(rieTimeout)):
		return frontResult{failed: true,
			body: errorDocument("Sandbox.Timedout", string(body))}
	case status == http.StatusOK:
		return frontResult{body: body, failed: isErrorDocument(body)}
	case status == http.StatusBadGateway:
		if !isErrorDocument(body) {
			body = errorDocument("Runtime.ExitError", string(body))
		}
		return frontResult{body: body, failed: true}
	}
	return frontResult{err: fmt.Errorf("the emulator answered %d: %s", status,
		bytes.TrimSpace(body))}
}

// isErrorDocument reports whether body is a Lambda runtime's error
// document: a JSON object with errorMessage or errorType, and no fields
// but those and stackTrace. A function whose result has that shape is
// taken for a failure: the emulator gives no other sign.
func isErrorDocument(body []byte) bool {
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) != nil {
		return false
	}
	_, msg := doc["errorMessage"]
	_, typ := doc["errorType"]
	if !msg && !typ {
		return false
	}
	for k := range doc {
		if k != "errorMessage" && k != "errorType" && k != "stackTrace" {
			return false
		}
	}
	return true
}

// errorDocument returns a Lambda error document.
func errorDocument(typ, msg string) []byte {
	b, _ := json.Marshal(map[string]string{"errorType": typ, "errorMessage": msg})
	return b
}

// ServeHTTP answers Invoke: POST /2015-03-31/functions/{name}/invocations.
func (f *lambdaFront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := newRequestID()
	w.Header().Set("X-Amzn-RequestId", id)
	rest, ok := strings.CutPrefix(r.URL.Path, "/2015-03-31/functions/")
	name, ok2 := strings.CutSuffix(rest, "/invocations")
	if !ok || !ok2 || name == "" || r.Method != http.MethodPost {
		lambdaError(w, http.StatusNotFound, "UnknownOperationException", "",
			fmt.Sprintf("no operation %s %s", r.Method, r.URL.Path))
		return
	}
	name = lambdaFunctionName(name)
	switch auth := r.Header.Get("Authorization"); {
	case auth == "":
		lambdaError(w, http.StatusForbidden, "MissingAuthenticationTokenException", "",
			"Missing Authentication Token")
		return
	case !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential="):
		lambdaError(w, http.StatusForbidden, "IncompleteSignatureException", "",
			"Authorization header requires a AWS4-HMAC-SHA256 signature")
		return
	}
	fn := f.core.lookup(name)
	if fn == nil {
		lambdaError(w, http.StatusNotFound, "ResourceNotFoundException", "User",
			"Function not found: arn:aws:lambda:us-east-1:000000000000:function:"+name)
		return
	}
	if f.core.down.Load() {
		f.core.count(fn, func(s *frontStats) { s.Refused++ })
		lambdaError(w, http.StatusServiceUnavailable, "ServiceException", "Service",
			"the Lambda front is down")
		return
	}
	typ := cmpOrString(r.Header.Get("X-Amz-Invocation-Type"), "RequestResponse")
	limit := lambdaSyncLimit
	if typ == "Event" {
		limit = lambdaEventLimit
	}
	payload, err := io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
	if err != nil {
		lambdaError(w, http.StatusBadRequest, "InvalidRequestContentException", "User",
			"could not read the request body: "+err.Error())
		return
	}
	if len(payload) > limit {
		lambdaError(w, http.StatusRequestEntityTooLarge, "RequestTooLargeException", "User",
			fmt.Sprintf("Request must be smaller than %d bytes for the Invoke operation", limit))
		return
	}
	if len(payload) == 0 {
		payload = []byte("{}")
	}
	if !json.Valid(payload) {
		lambdaError(w, http.StatusBadRequest, "InvalidRequestContentException", "User",
			"Could not parse request body into json")
		return
	}
	switch typ {
	case "Event":
		f.core.count(fn, func(s *frontStats) { s.Accepted++ })
		f.core.enqueue(fn, &frontItem{id: id, payload: payload}, 0)
		w.WriteHeader(http.StatusAccepted)
	case "DryRun":
		w.WriteHeader(http.StatusNoContent)
	case "RequestResponse":
		f.invokeSync(w, r, fn, id, payload)
	default:
		lambdaError(w, http.StatusBadRequest, "InvalidParameterValueException", "User",
			"unknown X-Amz-Invocation-Type "+typ)
	}
}

// invokeSync runs a RequestResponse invocation and writes its answer.
func (f *lambdaFront) invokeSync(w http.ResponseWriter, r *http.Request, fn *frontFunc,
	id string, payload []byte) {
	res, err := f.core.call(r.Context(), fn, id, payload)
	if err == nil {
		err = res.err
	}
	if err != nil {
		lambdaError(w, http.StatusInternalServerError, "ServiceException", "Service",
			fmt.Sprintf("function %s: %v", fn.name, err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amz-Executed-Version", "$LATEST")
	if res.failed {
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
	}
	w.WriteHeader(http.StatusOK)
	w.Write(res.body)
}

// lambdaFunctionName returns the function name of what Invoke's path
// names: a name, a partial ARN or an ARN, with or without a qualifier.
func lambdaFunctionName(s string) string {
	if _, after, ok := strings.Cut(s, ":function:"); ok {
		s = after
	}
	name, _, _ := strings.Cut(s, ":")
	return name
}

// lambdaError writes an error as Lambda's REST-JSON protocol does: the
// status, the error code in X-Amzn-ErrorType, and a JSON body with the
// message (and, for Lambda's own errors, its Type).
func lambdaError(w http.ResponseWriter, status int, code, typ, msg string) {
	doc := map[string]string{"message": msg}
	if typ != "" {
		doc["Type"] = typ
	}
	b, _ := json.Marshal(doc)
	w.Header().Set("X-Amzn-ErrorType", code)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// fcFront emulates Function Compute 3.0's InvokeFunction for many
// functions, each a custom-runtime HTTP server process: a Sync
// invocation is delivered at once, as far as the function's earlier
// invocations allow, and answers the function's response; an Async one is
// queued (202), held for x-fc-async-delay seconds if given, and retried
// twice more, frontRetryPause apart, when the function fails. Each
// function's invocations are delivered one at a time, in order.
//
// A delivery is POST /invoke on the function's FC_CUSTOM_LISTEN_PORT with
// the payload, x-fc-request-id (kept across retries), x-fc-function-name
// and Content-Type application/octet-stream. The answer's x-fc-status
// tells, as the custom runtime's contract says: 404 is a failure, and 200,
// or none at all, a success. An HTTP status other than 200 and 404 breaks
// the contract, and fails too. A failed Sync invocation answers 200 with the
// function's body and X-Fc-Error-Type: UnhandledInvocationError.
//
// Requests must carry an ACS3-HMAC-SHA256 Authorization header, which is
// not verified, and x-acs-date or Date. A qualifier is ignored.
type fcFront struct {
	core *frontCore
	// Timeout bounds each delivery, as a function's timeout does; a
	// delivery that takes longer fails. It is 60 s unless set before the
	// first invocation.
	Timeout time.Duration
}

// newFCFront starts a Function Compute front on 127.0.0.1, stopped when t
// ends.
func newFCFront(t *testing.T) *fcFront {
	t.Helper()
	f := &fcFront{Timeout: time.Minute}
	f.core = newFrontCore(t, "fc", f)
	return f
}

// URL returns the front's base URL. A Function Compute client takes its
// host as Endpoint, with Protocol "http".
func (f *fcFront) URL() string { return f.core.url }

func (f *fcFront) base() *frontCore { return f.core }

// SetDown starts (true) or ends (false) an outage: while down, the front
// answers every InvokeFunction with 503 ServiceUnavailable and queues
// nothing. Invocations already queued are still delivered.
func (f *fcFront) SetDown(down bool) { f.core.down.Store(down) }

// Stats returns every function's counters.
func (f *fcFront) Stats() map[string]frontStats { return f.core.stats() }

// Idle waits until no invocation is queued, held for its delay or a
// retry, or running, polling, and fails when ctx ends first.
func (f *fcFront) Idle(ctx context.Context) error { return f.core.idle(ctx) }

// AddFunction starts binary as the function name with the environment
// FC_FUNCTION_NAME=name, os.Environ(), env, FC_CUSTOM_LISTEN_PORT set to
// a free port and JLGEN_FC_LISTEN_HOST to 127.0.0.1, waits until it accepts connections there, and sends it POST
// /initialize, as Function Compute does before a new instance's first
// invocation when the function has an initializer (an answer of 404 is
// taken for no initializer; any other non-2xx fails t). The process is
// stopped when t ends, and its output logged if t failed.
func (f *fcFront) AddFunction(t *testing.T, name, binary string, env []string) {
	t.Helper()
	port := freePort(t)
	_, portNum, _ := net.SplitHostPort(port)
	full := append([]string{"FC_FUNCTION_NAME=" + name}, os.Environ()...)
	full = append(full, env...)
	full = append(full, "FC_CUSTOM_LISTEN_PORT="+portNum, "JLGEN_FC_LISTEN_HOST=127.0.0.1")
	p := startProcess(t, "fc function "+name, []string{binary}, full)
	p.waitReady(t, port)
	base := "http://" + port
	if err := f.initialize(base, name); err != nil {
		p.stop()
		t.Fatalf("fc front: function %s: %v", name, err)
	}
	stop := f.core.add(t, name, f.deliver(base+"/invoke", name))
	t.Cleanup(func() {
		stop()
		p.stop()
	})
}

// initialize sends POST /initialize to the function server at base.
func (f *fcFront) initialize(base, name string) error {
	ctx, cancel := context.WithTimeout(f.core.ctx, f.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/initialize", nil)
	if err != nil {
		return err
	}
	req.Header.Set("x-fc-request-id", newRequestID())
	req.Header.Set("x-fc-function-name", name)
	resp, err := f.core.client.Do(req)
	if err != nil {
		return fmt.Errorf("initialize: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 && resp.StatusCode != http.StatusNotFound {
		return fmt.Errorf("initialize answered %d: %s", resp.StatusCode, bytes.TrimSpace(body))
	}
	return nil
}

// deliver returns the delivery of invocations to the function server's
// /invoke at url.
func (f *fcFront) deliver(url, name string) deliverFunc {
	return func(ctx context.Context, it *frontItem) frontResult {
		ctx, cancel := context.WithTimeout(ctx, f.Timeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url,
			bytes.NewReader(it.payload))
		if err != nil {
			return frontResult{err: err}
		}
		req.Header.Set("x-fc-request-id", it.id)
		req.Header.Set("x-fc-function-name", name)
		req.Header.Set("Content-Type", "application/octet-stream")
		resp, err := f.core.client.Do(req)
		if err != nil {
			return frontResult{err: fmt.Errorf("deliver to the function: %w", err)}
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return frontResult{err: fmt.Errorf("read the function's answer: %w", err)}
		}
		return frontResult{body: body, failed: fcFailed(resp)}
	}
}

// fcFailed reports whether a custom runtime's answer to POST /invoke is a
// failure: by its x-fc-status, which Function Compute reads, and which
// counts as 200 when missing.
func fcFailed(resp *http.Response) bool {
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound {
		return true
	}
	return resp.Header.Get("x-fc-status") == "404"
}

// fcMaxAsyncDelay is the longest x-fc-async-delay Function Compute takes.
const fcMaxAsyncDelay = 3600

// ServeHTTP answers InvokeFunction: POST
// /2023-03-30/functions/{name}/invocations.
func (f *fcFront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := newRequestID()
	w.Header().Set("x-fc-request-id", id)
	rest, ok := strings.CutPrefix(r.URL.Path, "/2023-03-30/functions/")
	name, ok2 := strings.CutSuffix(rest, "/invocations")
	if !ok || !ok2 || name == "" || r.Method != http.MethodPost {
		fcError(w, http.StatusNotFound, "PathNotSupported", id,
			fmt.Sprintf("no operation %s %s", r.Method, r.URL.Path))
		return
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "ACS3-HMAC-SHA256 Credential=") {
		fcError(w, http.StatusForbidden, "SignatureNotMatch", id,
			"the request has no ACS3-HMAC-SHA256 signature")
		return
	}
	if r.Header.Get("x-acs-date") == "" && r.Header.Get("Date") == "" {
		fcError(w, http.StatusBadRequest, "MissingRequiredHeader", id,
			"the request has neither x-acs-date nor Date")
		return
	}
	fn := f.core.lookup(name)
	if fn == nil {
		fcError(w, http.StatusNotFound, "FunctionNotFound", id,
			fmt.Sprintf("function '%s' does not exist", name))
		return
	}
	if f.core.down.Load() {
		f.core.count(fn, func(s *frontStats) { s.Refused++ })
		fcError(w, http.StatusServiceUnavailable, "ServiceUnavailable", id,
			"the Function Compute front is down")
		return
	}
	payload, err := io.ReadAll(r.Body)
	if err != nil {
		fcError(w, http.StatusBadRequest, "InvalidArgument", id,
			"could not read the request body: "+err.Error())
		return
	}
	switch typ := cmpOrString(r.Header.Get("x-fc-invocation-type"), "Sync"); {
	case strings.EqualFold(typ, "Async"):
		delay, err := fcAsyncDelay(r.Header.Get("x-fc-async-delay"))
		if err != nil {
			fcError(w, http.StatusBadRequest, "InvalidArgument", id, err.Error())
			return
		}
		f.core.count(fn, func(s *frontStats) { s.Accepted++ })
		f.core.enqueue(fn, &frontItem{id: id, payload: payload}, delay)
		w.WriteHeader(http.StatusAccepted)
	case strings.EqualFold(typ, "Sync"):
		f.invokeSync(w, r, fn, id, payload)
	default:
		fcError(w, http.StatusBadRequest, "InvalidArgument", id,
			"unknown x-fc-invocation-type "+typ)
	}
}

// fcAsyncDelay parses x-fc-async-delay, whole seconds in [0, 3600].
func fcAsyncDelay(v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	secs, err := strconv.Atoi(v)
	if err != nil || secs < 0 || secs > fcMaxAsyncDelay {
		return 0, fmt.Errorf("x-fc-async-delay %q is not a whole number of seconds in "+
			"[0, %d]", v, fcMaxAsyncDelay)
	}
	return time.Duration(secs) * time.Second, nil
}

// invokeSync runs a Sync invocation and writes its answer.
func (f *fcFront) invokeSync(w http.ResponseWriter, r *http.Request, fn *frontFunc,
	id string, payload []byte) {
	res, err := f.core.call(r.Context(), fn, id, payload)
	if err == nil {
		err = res.err
	}
	if err != nil {
		fcError(w, http.StatusInternalServerError, "InternalServerError", id,
			fmt.Sprintf("function %s: %v", fn.name, err))
		return
	}
	if res.failed {
		w.Header().Set("X-Fc-Error-Type", "UnhandledInvocationError")
	}
	w.WriteHeader(http.StatusOK)
	w.Write(res.body)
}

// fcError writes an error as Function Compute 3.0 does: the status and a
// JSON document with Code, Message and RequestId, which the SDK reads
// into a ClientError (4xx) or a ServerError (5xx).
func fcError(w http.ResponseWriter, status int, code, id, msg string) {
	b, _ := json.Marshal(map[string]string{"Code": code, "Message": msg, "RequestId": id})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// newRequestID returns a random request ID shaped like a UUID.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// cmpOrString returns s, or def when s is empty.
func cmpOrString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// lookupEnv returns the value of key in env, the last one when it is set
// more than once, as exec.Cmd takes it.
func lookupEnv(env []string, key string) (string, bool) {
	for _, kv := range slices.Backward(env) {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v, true
		}
	}
	return "", false
}

// freePort returns an address 127.0.0.1:port with a port that was free a
// moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// frontProc is a process a front started, in a process group of its own.
type frontProc struct {
	name   string
	cmd    *exec.Cmd
	out    *lockedBuffer
	exited chan struct{}
	once   sync.Once
}

// startProcess starts argv with env, its output kept for the log, and
// logs the output when t ends failed. Call stop to end it.
func startProcess(t *testing.T, name string, argv, env []string) *frontProc {
	t.Helper()
	out := &lockedBuffer{}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A child that keeps the output pipes open must not hold Wait up.
	cmd.WaitDelay = frontStopGrace
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	p := &frontProc{name: name, cmd: cmd, out: out, exited: make(chan struct{})}
	go func() {
		cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("output of %s:\n%s", name, out.tail(frontLogTail))
		}
	})
	return p
}

// waitReady waits until the process accepts connections on addr, and
// fails t, with the process's output, when it exits first or does not in
// frontStartTimeout.
func (p *frontProc) waitReady(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(frontStartTimeout)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		select {
		case <-p.exited:
			t.Fatalf("%s exited before it listened on %s: %v\n%s", p.name, addr,
				p.cmd.ProcessState, p.out.tail(frontLogTail))
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.stop()
			t.Fatalf("%s does not listen on %s after %v: %v\n%s", p.name, addr,
				frontStartTimeout, err, p.out.tail(frontLogTail))
		}
	}
}

// stop ends the process: SIGTERM to its process group, then SIGKILL if it
// has not exited after frontStopGrace. It is safe to call more than once.
func (p *frontProc) stop() {
	p.once.Do(func() {
		// The group's ID is the process's, so it is signalled only until
		// the process is seen to exit, after which the ID may be reused.
		pgid := p.cmd.Process.Pid
		select {
		case <-p.exited:
			return
		default:
		}
		// RIE gives its runtime a process group of its own and kills it on
		// SIGTERM, so the gentle signal comes first.
		syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-p.exited:
			return
		case <-time.After(frontStopGrace):
		}
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.exited
	})
}

// lockedBuffer is a bytes.Buffer for concurrent writers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// tail returns the last n bytes written.
func (b *lockedBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.Bytes()
	if len(s) > n {
		return "…" + string(s[len(s)-n:])
	}
	return string(s)
}
