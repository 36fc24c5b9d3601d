package runtime

import (
	"github.com/jointlambda/jlgen/runtime/expr"
)

// The expression types of runtime/expr, under the names generated code
// uses.
type (
	// Path is a parsed ASL path.
	Path = expr.Path
	// Template is a parsed payload template.
	Template = expr.Template
	// Rule is a parsed Choice rule.
	Rule = expr.Rule
	// Call is a parsed intrinsic function call.
	Intrinsic = expr.Call
	// JSONata is a parsed JSONata expression.
	JSONata = expr.JSONata
)

// State is the compiled form of one state of a definition: the fields its
// data flow and its transitions need, with every expression parsed. The
// generated code declares one State per state of the definition.
type State struct {
	Name string
	// Type is the state's type: "Task", "Pass", "Choice", "Wait",
	// "Succeed", "Fail", "Parallel" or "Map".
	Type string
	// JSONata is true when the state's query language is JSONata.
	JSONata bool

	InputPath      OptPath
	Parameters     *Template
	ResultSelector *Template
	ResultPath     OptPath
	OutputPath     OptPath
	// Arguments and Output are the JSONata-mode data flow.
	Arguments *Template
	Output    *Template
	// Assign is an object template: variable names and their values.
	Assign *Template
	// Result is a Pass state's Result.
	Result *Template

	Retry []Retrier
	Catch []Catcher

	// Task
	Resource         string
	TimeoutSeconds   Number
	HeartbeatSeconds Number
	Credentials      *Template

	// Choice: the rules in order; Default tells whether there is one.
	Choices []Choice
	Default bool

	// Wait: Seconds, or Timestamp as text, path or JSONata.
	Seconds   Number
	Timestamp Text

	// Fail
	Error Text
	Cause Text

	// Parallel: the number of branches.
	Branches int

	// Map
	ItemsPath                  OptPath
	Items                      *Template
	ItemSelector               *Template
	MaxConcurrency             Number
	ToleratedFailureCount      Number
	ToleratedFailurePercentage Number
	// Distributed is true for a Map whose ItemProcessor runs in
	// DISTRIBUTED mode: each item is a child execution with its own
	// history, and the Map's history has MapRunStarted and
	// MapRunSucceeded instead of the items' events.
	Distributed bool

	// Alibaba is the data flow of a state written in an Alibaba dialect,
	// which replaces the ASL data-flow fields above; nil for ASL states.
	Alibaba *AlibabaFlow
}

// OptPath is a path field: unset (the default, "$"), set to null, or set
// to a path.
type OptPath struct {
	Set  bool
	Path *Path // nil when set to null
}

// Number is a number field given literally, by a path, by a JSONata
// expression, or not at all (the zero Number).
type Number struct {
	Set   bool
	Value float64
	// Placeholder is a deployment placeholder such as "${Timeout}" that
	// the definition gave instead of a number.
	Placeholder string
	Path        *Path
	JSONata     *JSONata
}

// Text is a string field given literally, by a path, by an intrinsic
// function call, by a JSONata expression, or not at all.
type Text struct {
	Set       bool
	Value     string
	Path      *Path
	Intrinsic *Intrinsic
	JSONata   *JSONata
}

// Retrier is one element of a state's Retry.
type Retrier struct {
	ErrorEquals     []string
	IntervalSeconds float64
	MaxAttempts     int
	BackoffRate     float64
	MaxDelaySeconds float64
	// JitterFull is true for JitterStrategy FULL.
	JitterFull bool
}

// Catcher is one element of a state's Catch. The generated continuation
// knows where each catcher leads; the runtime only reports which matched.
type Catcher struct {
	ErrorEquals []string
	ResultPath  OptPath
	Output      *Template
	Assign      *Template
}

// Choice is one rule of a Choice state with what it assigns and outputs.
type Choice struct {
	Rule *Rule
	// Alibaba is the condition of a choice written in an Alibaba dialect,
	// which replaces Rule.
	Alibaba *AlibabaCondition
	Assign  *Template
	Output  *Template
}
