package driver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// ReplayCall is one recorded Task invocation and its outcome.
type ReplayCall struct {
	State   string        `json:"state"`
	Outcome ReplayOutcome `json:"outcome"`
}

// ReplayOutcome is what a recorded invocation returned.
type ReplayOutcome struct {
	Status string `json:"status"`
	// Event is the history event that reported the outcome:
	// LambdaFunctionFailed for a Lambda function resource, TaskFailed for
	// a service integration such as lambda:invoke.
	Event  string          `json:"event,omitempty"`
	Output json.RawMessage `json:"output,omitempty"`
	Error  *string         `json:"error,omitempty"`
	Cause  json.RawMessage `json:"cause,omitempty"`
}

// binder answers the Task states of one job.
type binder struct {
	mu       sync.Mutex
	replay   map[string][]ReplayCall
	commands map[string]string
	// answered maps a task attempt to the recorded call that answered
	// it, so that a duplicate of the attempt gets the same answer.
	answered map[string]ReplayCall
}

func newBinder(job *Job) *binder {
	b := &binder{replay: map[string][]ReplayCall{}, commands: job.Commands,
		answered: map[string]ReplayCall{}}
	for _, c := range job.Replay {
		b.replay[c.State] = append(b.replay[c.State], c)
	}
	return b
}

// Call runs the Task state r: its next recorded outcome, or its command.
func (b *binder) Call(ctx context.Context, r jlrt.Resource, input any) (any, error) {
	if c, ok := b.nextReplay(ctx, r.State); ok {
		return replayResult(c)
	}
	cmd, ok := b.commands[r.State]
	if !ok {
		cmd, ok = b.commands["*"]
	}
	if ok {
		return runCommand(ctx, cmd, r, input)
	}
	return nil, &jlrt.StateError{Name: "States.TaskFailed", Cause: fmt.Sprintf(
		"task state %q (resource %s) has no binding: give a replay or --task %s=CMD",
		r.State, r.ARN, r.State)}
}

// nextReplay returns the recorded call that answers this attempt of the
// state: the next one recorded, or the one an earlier duplicate got.
func (b *binder) nextReplay(ctx context.Context, state string) (ReplayCall, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	id := state
	if key, retries, ok := jlrt.TaskAttempt(ctx); ok {
		id = fmt.Sprintf("%s#%d", key, retries)
		if c, ok := b.answered[id]; ok {
			return c, true
		}
	}
	calls := b.replay[state]
	if len(calls) == 0 {
		return ReplayCall{}, false
	}
	b.replay[state] = calls[1:]
	b.answered[id] = calls[0]
	return calls[0], true
}

// replayResult returns a recorded outcome as the task's result or error.
func replayResult(c ReplayCall) (any, error) {
	if c.Outcome.Status == "SUCCEEDED" {
		var v any
		err := decodeJSON(c.Outcome.Output, &v)
		return v, err
	}
	name := "States.TaskFailed"
	if c.Outcome.Error != nil {
		name = *c.Outcome.Error
	}
	if c.Outcome.Status == "TIMED_OUT" && c.Outcome.Error == nil {
		name = "States.Timeout"
	}
	cause := ""
	if len(c.Outcome.Cause) > 0 {
		var s string
		switch {
		case json.Unmarshal(c.Outcome.Cause, &s) == nil:
			cause = s
		case c.Outcome.Event == "LambdaFunctionFailed":
			cause = pythonJSON(c.Outcome.Cause)
		default:
			cause = compactJSON(c.Outcome.Cause)
		}
	}
	return nil, &jlrt.StateError{Name: name, Cause: cause}
}

// runCommand runs a Task as a shell command: the input as JSON on stdin,
// the output as JSON on stdout; a non-zero exit is a task failure.
func runCommand(ctx context.Context, command string, r jlrt.Resource, input any) (any, error) {
	in, err := json.Marshal(input)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(cmd.Environ(), "JLGEN_STATE="+r.State, "JLGEN_RESOURCE="+r.ARN)
	if err := cmd.Run(); err != nil {
		return nil, &jlrt.StateError{Name: "States.TaskFailed", Cause: fmt.Sprintf(
			"task state %q: command %q: %v: %s", r.State, command, err,
			strings.TrimSpace(stderr.String()))}
	}
	var out any
	if err := decodeJSON(bytes.TrimSpace(stdout.Bytes()), &out); err != nil {
		return nil, &jlrt.StateError{Name: "States.TaskFailed", Cause: fmt.Sprintf(
			"task state %q: command %q printed no JSON: %v", r.State, command, err)}
	}
	return out, nil
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// pythonJSON renders a recorded error object as the text a function's
// runtime reported it in: for a Lambda function resource, Step Functions
// passes on the function's own error text, and the recorded functions run
// on Lambda's Python runtime, which writes it with json.dumps: a space
// after every ',' and ':', and non-ASCII characters escaped. (A service
// integration such as lambda:invoke reports the error compacted.)
func pythonJSON(raw json.RawMessage) string {
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return string(raw)
	}
	var b strings.Builder
	inString, escaped := false, false
	for _, r := range compact.String() {
		switch {
		case inString && escaped:
			escaped = false
		case inString && r == '\\':
			escaped = true
		case r == '"':
			inString = !inString
		case inString && r > 127:
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		case !inString && (r == ',' || r == ':'):
			b.WriteRune(r)
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// compactJSON renders a recorded error object compactly, as a service
// integration reports it.
func compactJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return b.String()
}
