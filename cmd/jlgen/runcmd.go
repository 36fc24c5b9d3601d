package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/jointlambda/jlgen/config"
	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser"
	"github.com/jointlambda/jlgen/shim/local"
	"github.com/jointlambda/jlgen/shim/local/driver"
)

// taskFlags collects --task NAME=CMD.
type taskFlags map[string]string

func (t taskFlags) String() string { return fmt.Sprint(map[string]string(t)) }

func (t taskFlags) Set(v string) error {
	name, cmd, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return fmt.Errorf("want NAME=CMD, got %q", v)
	}
	t[name] = cmd
	return nil
}

// runRun implements "jlgen run": generate, build and run a workflow on the
// embedded jointcloud.
func runRun(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	input := fs.String("input", "", "execution input as JSON text")
	inputFile := fs.String("input-file", "", "`file` holding the execution input")
	cfgPath := fs.String("config", "", "placement `file` (jlgen.yaml)")
	replay := fs.String("replay", "", "`file` of recorded task results (replay.json)")
	trace := fs.Bool("trace", false, "print the execution history as JSON lines on stderr")
	realTime := fs.Bool("real-time", false, "let Wait states and backoffs take real time")
	chaos := fs.String("chaos", "",
		"inject faults: `seed=N,crash=P,dup=P,store=P,outage=CLOUD:FROM-TO`")
	stats := fs.Bool("stats", false, "print what the execution cost as JSON, last on stderr")
	tasks := taskFlags{}
	fs.Var(tasks, "task", "bind Task state NAME (or *) to command `NAME=CMD`")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: jlgen run FILE [--input JSON | --input-file F] "+
			"[--config jlgen.yaml] [--task NAME=CMD] [--replay F] [--trace] [--real-time]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return 2
	}
	if fs.NArg() != 1 || (*input != "" && *inputFile != "") {
		fs.Usage()
		return 2
	}
	job, code := runJob(fs.Arg(0), *input, *inputFile, *replay, stdout, stderr)
	if job == nil {
		return code
	}
	job.Commands, job.Trace, job.RealTime, job.Chaos = tasks, *trace, *realTime, *chaos
	if *chaos != "" {
		if _, err := local.ParseChaos(*chaos); err != nil {
			fmt.Fprintf(stderr, "jlgen: %v\n", err)
			return 2
		}
	}
	return execute(fs.Arg(0), *cfgPath, job, *stats, stdout, stderr)
}

// runJob reads the job's input and replay; nil and an exit code on error.
func runJob(file, input, inputFile, replay string, stdout, stderr io.Writer) (*driver.Job,
	int) {
	job := &driver.Job{Case: "w", Input: json.RawMessage("{}")}
	if input != "" {
		job.Input = json.RawMessage(input)
	}
	if inputFile != "" {
		b, err := os.ReadFile(inputFile)
		if err != nil {
			fmt.Fprintf(stderr, "jlgen: read input: %v\n", err)
			return nil, 2
		}
		job.Input = b
	}
	if !json.Valid(job.Input) {
		fmt.Fprintln(stderr, "jlgen: the input is not valid JSON")
		return nil, 2
	}
	if replay != "" {
		b, err := os.ReadFile(replay)
		if err == nil {
			err = json.Unmarshal(b, &job.Replay)
		}
		if err != nil {
			fmt.Fprintf(stderr, "jlgen: read replay: %v\n", err)
			return nil, 2
		}
	}
	return job, 0
}

// execute builds the workflow of file and runs job on it.
func execute(file, cfgPath string, job *driver.Job, stats bool, stdout,
	stderr io.Writer) int {
	data, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintf(stderr, "jlgen: read definition: %v\n", err)
		return 2
	}
	wf, diags := parser.Parse(file, data)
	if len(diags) > 0 {
		printDiagnostics(stderr, diags, 1)
		return 2
	}
	placement, clouds, err := runPlacement(cfgPath, wf)
	job.Clouds = clouds
	if err != nil {
		fmt.Fprintf(stderr, "jlgen: %v\n", err)
		return 2
	}
	h, err := buildHarness([]harnessCase{{id: job.Case, wf: wf, source: file,
		placement: placement}})
	if err != nil {
		fmt.Fprintf(stderr, "jlgen: %v\n", err)
		return 2
	}
	defer h.close()
	outcomes, err := h.run([]driver.Job{*job}, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "jlgen: %v\n", err)
		return 1
	}
	code := report(&outcomes[0], job.Trace, stdout, stderr)
	if stats {
		printStats(stderr, &outcomes[0])
	}
	return code
}

// printStats prints the execution's costs as one JSON object.
func printStats(w io.Writer, o *driver.Outcome) {
	s := o.Stats
	b, _ := json.Marshal(map[string]any{
		"store_reads": s.StoreReads, "store_writes": s.StoreWrites,
		"invocations": map[string]any{"total": s.Invocations, "per_cloud": s.PerCloud},
		"failovers":   s.Failovers, "bytes_moved": s.BytesMoved, "makespan_ms": s.MakespanMS,
		"faults": o.Faults,
	})
	fmt.Fprintf(w, "%s\n", b)
}

// runPlacement places the states by the config file, or, without one, on
// the local jointcloud's cloud aws with failover to aliyun. It returns the
// clouds the jointcloud must have.
func runPlacement(cfgPath string, wf *ir.Workflow) (func(string) []string, []string, error) {
	cfg := config.Local()
	if cfgPath != "" {
		var err error
		if cfg, err = config.Load(cfgPath); err != nil {
			return nil, nil, err
		}
	}
	if _, err := loadPlacement("", wf); err != nil {
		return nil, nil, err
	}
	clouds := make([]string, 0, len(cfg.Clouds))
	for name := range cfg.Clouds {
		clouds = append(clouds, name)
	}
	sort.Strings(clouds)
	return func(state string) []string {
		_, order := cfg.Placement(state)
		return order
	}, clouds, nil
}

// report prints an outcome as jlgen run does.
func report(o *driver.Outcome, trace bool, stdout, stderr io.Writer) int {
	if trace {
		enc := json.NewEncoder(stderr)
		for _, e := range o.Events {
			enc.Encode(e)
		}
	}
	switch {
	case o.Failure != "":
		fmt.Fprintf(stderr, "jlgen: %s\n", o.Failure)
		return 1
	case o.Status == "SUCCEEDED":
		fmt.Fprintf(stdout, "%s\n", o.Output)
		return 0
	}
	b, _ := json.Marshal(map[string]string{"Error": o.Error, "Cause": o.Cause})
	fmt.Fprintf(stdout, "%s\n", b)
	return 1
}
