package aws

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	schedtypes "github.com/aws/aws-sdk-go-v2/service/scheduler/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// The limits of the delay routes.
const (
	// DefaultSleepBelow is the longest delay the calling function sleeps
	// through when DelayOptions.SleepBelow is zero. Sleeping costs the
	// caller's memory for the delay; the delay queue costs about three SQS
	// requests and a relay invocation, which is cheaper from about half a
	// second on at 256 MB, but rounds up to whole seconds and adds a
	// relay's latency. Two seconds keep the first backoffs of a Retry
	// (IntervalSeconds 1, then 2) exact.
	DefaultSleepBelow = 2 * time.Second
	// MaxQueueDelay is the longest delay SQS holds a message for
	// (DelaySeconds 900); a longer delay goes to EventBridge Scheduler.
	MaxQueueDelay = 15 * time.Minute
	// MaxQueueMessage is the largest message SQS accepts: 1 MiB, since
	// August 2025, and the default MaximumMessageSize of a new queue. A
	// queue made earlier, or with a smaller MaximumMessageSize, takes
	// less: set DelayOptions.MaxMessage to its size.
	MaxQueueMessage = 1 << 20
	// MaxScheduleInput is the largest target input InvokeAfter gives a
	// schedule: 256 KB, EventBridge Scheduler's payload quota. The API
	// model itself sets no bound.
	MaxScheduleInput = 256 << 10
)

// ErrDelayUnconfigured reports a delay whose route (the delay queue or the
// scheduler) lacks a setting in DelayOptions; the error that wraps it
// names the setting.
var ErrDelayUnconfigured = errors.New("delay route not configured")

// DelayOptions configures how LambdaInvoker.InvokeAfter keeps a delay.
// Only the routes the workflow's delays need must be set: a Wait or a
// backoff of a few seconds sleeps, one up to 15 minutes needs the queue,
// and a longer one the scheduler.
type DelayOptions struct {
	// SleepBelow is the delay under which the calling function sleeps
	// instead of queueing. Zero means DefaultSleepBelow; a negative value
	// never sleeps.
	SleepBelow time.Duration

	// Queue and QueueURL name the delay queue, a standard (not FIFO) SQS
	// queue, for delays from SleepBelow to 15 minutes. Its messages are
	// JSON objects {"function": NAME, "payload": ENVELOPE}, with the
	// envelope embedded as raw JSON rather than base64, so a message is
	// readable and only a few dozen bytes longer than the envelope (see
	// queueMessage for the few characters SQS refuses in a body). A
	// Lambda function that runs Relay consumes the queue, through an event
	// source mapping with ReportBatchItemFailures.
	Queue    *sqs.Client
	QueueURL string
	// MaxMessage is the queue's MaximumMessageSize in bytes; zero means
	// MaxQueueMessage. A larger message is refused before it is sent.
	MaxMessage int

	// Scheduler, SchedulerRole and FunctionARN configure delays over 15
	// minutes. SchedulerRole is the ARN of the role EventBridge Scheduler
	// assumes to invoke the function (lambda:InvokeFunction on it);
	// FunctionARN gives the ARN of a function name (see FunctionARNs) and
	// may be nil when the invoker's mapping gives ARNs already.
	// ScheduleGroup is the schedule group, empty for the default one.
	Scheduler     *scheduler.Client
	SchedulerRole string
	FunctionARN   func(function string) string
	ScheduleGroup string

	// Now is the clock due times are computed with; nil means time.Now.
	Now func() time.Time
	// Log, when not nil, receives the reason of each record Relay fails.
	Log *slog.Logger
}

func (o *DelayOptions) sleepBelow() time.Duration {
	if o.SleepBelow == 0 {
		return DefaultSleepBelow
	}
	return o.SleepBelow
}

func (o *DelayOptions) maxMessage() int {
	if o.MaxMessage <= 0 {
		return MaxQueueMessage
	}
	return o.MaxMessage
}

func (o *DelayOptions) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// FunctionARNs returns the mapping of a function name to its ARN in the
// given partition ("aws", "aws-cn", "aws-us-gov"), region and account,
// for DelayOptions.FunctionARN. A name that is an ARN already is kept.
func FunctionARNs(partition, region, account string) func(function string) string {
	return func(function string) string {
		if strings.HasPrefix(function, "arn:") {
			return function
		}
		return "arn:" + partition + ":lambda:" + region + ":" + account + ":function:" +
			function
	}
}

// queuedInvocation is a message of the delay queue.
type queuedInvocation struct {
	Function string          `json:"function"`
	Payload  json.RawMessage `json:"payload"`
}

// enqueue sends function and payload to the delay queue, to be invoked by
// the relay after d, rounded up to whole seconds.
func (v *LambdaInvoker) enqueue(ctx context.Context, function string, payload []byte,
	d time.Duration) error {
	o := &v.delay
	if o.Queue == nil || o.QueueURL == "" {
		return fmt.Errorf("a delay from %v to %v needs the SQS delay queue: set "+
			"DelayOptions.Queue and DelayOptions.QueueURL: %w", o.sleepBelow(), MaxQueueDelay,
			ErrDelayUnconfigured)
	}
	body, err := queueMessage(function, payload)
	if err != nil {
		return err
	}
	if len(body) > o.maxMessage() {
		return fmt.Errorf("the delay queue's message would be %d bytes, over the queue's "+
			"limit of %d; the runtime's inline limit must leave room for it", len(body),
			o.maxMessage())
	}
	secs := int32((d + time.Second - 1) / time.Second)
	_, err = o.Queue.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl:     &o.QueueURL,
		MessageBody:  &body,
		DelaySeconds: secs,
	})
	if err != nil {
		return fmt.Errorf("sqs send to %s for %s: %w", o.QueueURL, function, err)
	}
	return nil
}

// queueMessage encodes a message of the delay queue, with payload as raw
// JSON, byte for byte but for what SQS refuses in a message body: the
// noncharacters U+FFFE and U+FFFF, which it answers with
// InvalidMessageContents, are written as JSON escapes of themselves, and
// bytes that are not UTF-8 as \ufffd, which is what a JSON decoder reads
// them as. Valid JSON has either only inside its strings, so the payload
// decodes to the same value.
func queueMessage(function string, payload []byte) (string, error) {
	if !json.Valid(payload) {
		return "", errors.New("the payload is not JSON, which the delay queue's message " +
			"embeds as it is")
	}
	name, err := json.Marshal(function)
	if err != nil {
		return "", fmt.Errorf("encode the function name: %w", err)
	}
	return `{"function":` + string(name) + `,"payload":` + sqsSafe(payload) + `}`, nil
}

// sqsSafe returns the JSON text b with the characters SQS refuses in a
// message body escaped, as queueMessage describes.
func sqsSafe(b []byte) string {
	var out strings.Builder
	out.Grow(len(b))
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size == 1:
			out.WriteString(`\ufffd`)
		case r == 0xFFFE || r == 0xFFFF:
			fmt.Fprintf(&out, `\u%04x`, r)
		default:
			out.Write(b[:size])
		}
		b = b[size:]
	}
	return out.String()
}

// relayConcurrency bounds the invocations one Relay call has in flight.
const relayConcurrency = 10

// Relay is the handler of the delay queue's function: it invokes, as an
// asynchronous Invoke through inv, the function each record names with
// the record's payload, and reports the records it could not invoke as
// batch item failures, so that SQS delivers only those again (the event
// source mapping must have FunctionResponseTypes ReportBatchItemFailures;
// without it, SQS deletes the whole batch). A record that is not a
// message of the delay queue is reported too, so that it ends in the
// queue's dead-letter queue rather than vanish. Relay always returns a
// nil error: a non-nil one would fail the whole batch.
//
// The relay's role bounds which functions a message can invoke; give it
// lambda:InvokeFunction on the workflow's functions only.
func Relay(ctx context.Context, inv *LambdaInvoker, ev events.SQSEvent) (
	events.SQSEventResponse, error) {
	failed := make([]error, len(ev.Records))
	sem := make(chan struct{}, relayConcurrency)
	var wg sync.WaitGroup
	for i := range ev.Records {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			failed[i] = relayOne(ctx, inv, &ev.Records[i])
		}()
	}
	wg.Wait()
	var resp events.SQSEventResponse
	for i, err := range failed {
		if err == nil {
			continue
		}
		id := ev.Records[i].MessageId
		resp.BatchItemFailures = append(resp.BatchItemFailures,
			events.SQSBatchItemFailure{ItemIdentifier: id})
		if inv.delay.Log != nil {
			inv.delay.Log.ErrorContext(ctx, "relay of a delayed invocation failed",
				"message", id, "error", err.Error())
		}
	}
	return resp, nil
}

// relayOne invokes the function that one record of the delay queue names.
func relayOne(ctx context.Context, inv *LambdaInvoker, rec *events.SQSMessage) error {
	var m queuedInvocation
	if err := json.Unmarshal([]byte(rec.Body), &m); err != nil {
		return fmt.Errorf("decode message %s: %w", rec.MessageId, err)
	}
	if m.Function == "" || len(m.Payload) == 0 {
		return fmt.Errorf("message %s names no function or carries no payload",
			rec.MessageId)
	}
	return inv.invokeEvent(ctx, m.Function, m.Payload)
}

// schedule creates the one-time schedule that invokes function with
// payload after d.
func (v *LambdaInvoker) schedule(ctx context.Context, function string, payload []byte,
	d time.Duration) error {
	o := &v.delay
	arn, err := o.scheduleTarget(function)
	if err != nil {
		return err
	}
	if len(payload) > MaxScheduleInput {
		return fmt.Errorf("the payload is %d bytes, over EventBridge Scheduler's limit of "+
			"%d for a target's input; the runtime's inline limit must not exceed it",
			len(payload), MaxScheduleInput)
	}
	if !json.Valid(payload) {
		return errors.New("the payload is not JSON, which a schedule's Lambda target " +
			"requires")
	}
	name := ScheduleName(function, payload)
	input := string(payload)
	in := &scheduler.CreateScheduleInput{
		Name:                       &name,
		ScheduleExpression:         new(atExpression(o.now(), d)),
		ScheduleExpressionTimezone: new("UTC"),
		FlexibleTimeWindow: &schedtypes.FlexibleTimeWindow{
			Mode: schedtypes.FlexibleTimeWindowModeOff},
		ActionAfterCompletion: schedtypes.ActionAfterCompletionDelete,
		Target: &schedtypes.Target{Arn: &arn, RoleArn: &o.SchedulerRole,
			Input: &input},
	}
	if o.ScheduleGroup != "" {
		in.GroupName = &o.ScheduleGroup
	}
	_, err = o.Scheduler.CreateSchedule(ctx, in)
	var conflict *schedtypes.ConflictException
	if errors.As(err, &conflict) {
		// A duplicate of the caller scheduled the same invocation already.
		return nil
	}
	if err != nil {
		return fmt.Errorf("scheduler create %s for %s: %w", name, function, err)
	}
	return nil
}

// scheduleTarget checks the scheduler's settings and returns the ARN of
// function.
func (o *DelayOptions) scheduleTarget(function string) (string, error) {
	missing := ""
	switch {
	case o.Scheduler == nil:
		missing = "DelayOptions.Scheduler"
	case o.SchedulerRole == "":
		missing = "DelayOptions.SchedulerRole"
	case o.FunctionARN == nil && !strings.HasPrefix(function, "arn:"):
		missing = "DelayOptions.FunctionARN"
	}
	if missing != "" {
		return "", fmt.Errorf("a delay over %v needs EventBridge Scheduler: set %s: %w",
			MaxQueueDelay, missing, ErrDelayUnconfigured)
	}
	if o.FunctionARN == nil {
		return function, nil
	}
	return o.FunctionARN(function), nil
}

// ScheduleName returns the name of the schedule that invokes function
// with payload: "jlgen-" and 48 hex digits of the SHA-256 of both, 54
// characters of the set Scheduler allows. The envelope names the
// function instance and its attempt, so duplicates of one caller, and
// only they, share a name, and the second CreateSchedule fails with
// ConflictException. The due time is left out on purpose: duplicates
// compute it from their own clocks, and it would tell them apart.
func ScheduleName(function string, payload []byte) string {
	h := sha256.New()
	h.Write([]byte(function))
	h.Write([]byte{0})
	h.Write(payload)
	return "jlgen-" + hex.EncodeToString(h.Sum(nil))[:48]
}

// atExpression is the one-time schedule expression of now+d, in UTC,
// rounded up to the next whole second.
func atExpression(now time.Time, d time.Duration) string {
	due := now.Add(d).UTC()
	if t := due.Truncate(time.Second); !t.Equal(due) {
		due = t.Add(time.Second)
	}
	return "at(" + due.Format("2006-01-02T15:04:05") + ")"
}
