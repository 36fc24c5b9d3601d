// Package driver is the main program of the executables that jlgen run
// and jlgen test build: it reads jobs, runs each on a fresh embedded
// jointcloud, and writes each outcome as one JSON line.
//
// A job names a workflow registered by the generated main, its input, and
// how its Task states are bound: to recorded results (a replay), to local
// commands, or to nothing, in which case a Task fails with an error that
// names it.
package driver

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	jlrt "github.com/jointlambda/jlgen/runtime"
	"github.com/jointlambda/jlgen/shim/local"
)

// Factory builds a workflow whose Task states call r.
type Factory func(r jlrt.Resources) *jlrt.Workflow

// Job is one execution to run.
type Job struct {
	// Case names the workflow, as registered.
	Case  string          `json:"case"`
	Input json.RawMessage `json:"input"`
	// Replay holds the recorded Task results, in the order they happened.
	Replay []ReplayCall `json:"replay,omitempty"`
	// Commands bind Task states to shell commands: state name (or "*")
	// to command line.
	Commands map[string]string `json:"commands,omitempty"`
	Trace    bool              `json:"trace,omitempty"`
	// RealTime makes Wait states and backoffs take real time.
	RealTime bool `json:"realTime,omitempty"`
	// Clouds of the jointcloud; the default is aws and aliyun.
	Clouds []string `json:"clouds,omitempty"`
	// Chaos, when set, is the faults to inject (see local.ParseChaos).
	Chaos string `json:"chaos,omitempty"`
}

// Outcome is how a job's execution ended, with what it cost.
type Outcome struct {
	Case   string          `json:"case"`
	Status string          `json:"status"`
	Output json.RawMessage `json:"output,omitempty"`
	Error  string          `json:"error,omitempty"`
	Cause  string          `json:"cause,omitempty"`
	// Failure is set when the job could not run at all.
	Failure string       `json:"failure,omitempty"`
	Stats   local.Stats  `json:"stats"`
	Faults  local.Faults `json:"faults"`
	Events  []jlrt.Event `json:"events,omitempty"`
}

// Main reads jobs as JSON lines from stdin and writes outcomes as JSON
// lines to stdout. It returns the process exit code.
func Main(workflows map[string]Factory) int {
	if err := run(context.Background(), workflows, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "jlgen driver:", err)
		return 1
	}
	return 0
}

func run(ctx context.Context, workflows map[string]Factory, in io.Reader, out io.Writer) error {
	dec := json.NewDecoder(bufio.NewReader(in))
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		var job Job
		if err := dec.Decode(&job); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("read job: %w", err)
		}
		if err := enc.Encode(runJob(ctx, workflows, &job)); err != nil {
			return err
		}
	}
}

// runJob runs one job on a fresh jointcloud.
func runJob(ctx context.Context, workflows map[string]Factory, job *Job) *Outcome {
	o := &Outcome{Case: job.Case}
	factory, ok := workflows[job.Case]
	if !ok {
		o.Failure = fmt.Sprintf("no workflow %q", job.Case)
		return o
	}
	var input any
	if err := decodeJSON(job.Input, &input); err != nil {
		o.Failure = fmt.Sprintf("decode input: %v", err)
		return o
	}
	clouds := job.Clouds
	if len(clouds) == 0 {
		clouds = []string{"aws", "aliyun"}
	}
	binder := newBinder(job)
	j := local.New(factory(binder), clouds...)
	j.RealTime = job.RealTime
	if job.Chaos != "" {
		chaos, err := local.ParseChaos(job.Chaos)
		if err != nil {
			o.Failure = err.Error()
			return o
		}
		j.SetChaos(chaos)
	}
	var tr *recorder
	if job.Trace {
		tr = &recorder{}
		j.Platform().Tracer = tr
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	r, err := j.Run(ctx, "exec-"+job.Case, input)
	o.Stats, o.Faults = j.Stats(), j.Faults()
	if tr != nil {
		o.Events = tr.events
	}
	if err != nil {
		o.Failure = err.Error()
		return o
	}
	o.Status, o.Output, o.Error, o.Cause = r.Status, r.Output, r.Error, r.Cause
	return o
}

// recorder keeps the events of an execution.
type recorder struct{ events []jlrt.Event }

func (r *recorder) Event(e jlrt.Event) { r.events = append(r.events, e) }

func decodeJSON(b []byte, v any) error {
	if len(b) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytesReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}
