// Command echofn is a Lambda function for the tests of the Lambda front in
// fronts_self_test.go. It answers its input, unchanged, and fails when the
// input is a JSON object with "fail": true. With "sleep_ms" it sleeps that
// long first, so that two invocations run at once would overlap, and one
// longer than the function's timeout times out; with
// "panic": true it panics, which makes the runtime exit.
//
// When ECHO_LOG names a file, it appends one JSON line per invocation:
// the request ID, the function name and ECHO_TAG from its environment, the
// input, and when the invocation started and ended (Unix milliseconds).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// input is the part of the event the function acts on.
type input struct {
	Fail    bool `json:"fail"`
	Panic   bool `json:"panic"`
	SleepMS int  `json:"sleep_ms"`
}

// record is one line of the log.
type record struct {
	RequestID string          `json:"rid"`
	Function  string          `json:"fn"`
	Tag       string          `json:"tag"`
	Body      json.RawMessage `json:"body"`
	Start     int64           `json:"start"`
	End       int64           `json:"end"`
}

func handle(ctx context.Context, event json.RawMessage) (json.RawMessage, error) {
	start := time.Now()
	var in input
	// An event that is not an object (a string, a number) is echoed too.
	_ = json.Unmarshal(event, &in)
	// The sleep ignores the invocation's deadline, so that a long one
	// times out in the emulator rather than failing in the handler.
	time.Sleep(time.Duration(in.SleepMS) * time.Millisecond)
	if err := logInvocation(ctx, event, start); err != nil {
		return nil, err
	}
	if in.Panic {
		panic("echofn: asked to panic")
	}
	if in.Fail {
		return nil, errors.New("echofn: asked to fail")
	}
	return event, nil
}

// logInvocation appends the invocation's record to ECHO_LOG, if set.
func logInvocation(ctx context.Context, event json.RawMessage, start time.Time) error {
	path := os.Getenv("ECHO_LOG")
	if path == "" {
		return nil
	}
	rec := record{Function: os.Getenv("AWS_LAMBDA_FUNCTION_NAME"), Tag: os.Getenv("ECHO_TAG"),
		Body: event, Start: start.UnixMilli(), End: time.Now().UnixMilli()}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		rec.RequestID = lc.AwsRequestID
	}
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(append(line, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func main() {
	lambda.Start(handle)
}
