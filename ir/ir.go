package ir

import (
	"github.com/jointlambda/jlgen/runtime/expr"
)

// Dialect names the definition language a workflow was written in. The
// runtime uses it to choose data-flow rules where the dialects differ.
type Dialect string

// The dialects.
const (
	DialectASL       Dialect = "asl"       // Amazon States Language
	DialectFlow      Dialect = "fnf-flow"  // Alibaba Serverless Workflow, flow format
	DialectCloudFlow Dialect = "cloudflow" // Alibaba CloudFlow
)

// QueryLanguage is the language of a state's expressions.
type QueryLanguage string

// The query languages.
const (
	JSONPath QueryLanguage = "JSONPath"
	JSONata  QueryLanguage = "JSONata"
)

// StateType is the type of a state.
type StateType string

// The state types. The Alibaba dialects map onto the same eight types.
const (
	TypeTask     StateType = "Task"
	TypePass     StateType = "Pass"
	TypeChoice   StateType = "Choice"
	TypeWait     StateType = "Wait"
	TypeSucceed  StateType = "Succeed"
	TypeFail     StateType = "Fail"
	TypeParallel StateType = "Parallel"
	TypeMap      StateType = "Map"
)

// Workflow is one parsed definition.
type Workflow struct {
	// File is the definition's path as given by the user.
	File    string
	Dialect Dialect
	// Name is the workflow's own name where the dialect gives one (a
	// CloudFlow Name, or the template resource that embeds a flow).
	Name string
	// Graph is the top-level state graph.
	Graph *Graph
	// TimeoutSeconds bounds the whole execution; 0 means none.
	TimeoutSeconds int64
	Version        string
}

// Graph is a set of states with a start state: the top level of a
// workflow, a branch of a Parallel state or the processor of a Map state.
type Graph struct {
	Pos           Pos
	StartAt       string
	StartAtPos    Pos
	Comment       string
	QueryLanguage QueryLanguage
	// States in source order.
	States []*State
	// ProcessorMode is "INLINE" or "DISTRIBUTED" for a Map processor.
	ProcessorMode string
	// ExecutionType is "STANDARD" or "EXPRESS" for a distributed Map.
	ExecutionType string
}

// Lookup returns the state of g named name, or nil.
func (g *Graph) Lookup(name string) *State {
	for _, s := range g.States {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Index returns the states of g by name.
func (g *Graph) Index() map[string]*State {
	idx := make(map[string]*State, len(g.States))
	for _, s := range g.States {
		if _, dup := idx[s.Name]; !dup {
			idx[s.Name] = s
		}
	}
	return idx
}

// State is one state of a graph. Fields that a state's type does not use
// stay at their zero values; the parsers reject fields that do not belong.
type State struct {
	Name    string
	Type    StateType
	Pos     Pos // the position of the state's name
	Comment string
	// QueryLanguage is the state's effective query language.
	QueryLanguage QueryLanguage

	// Transition: exactly one of Next and End for non-terminal types.
	Next    string
	NextPos Pos
	End     bool

	Flow DataFlow

	// Task
	Task *Task
	// Choice
	Choices    []*ChoiceBranch
	Default    string
	DefaultPos Pos
	// Wait
	Wait *Wait
	// Fail
	Fail *Fail
	// Parallel
	Branches []*Graph
	// Map
	Map *Map
	// Pass: Result in JSONPath mode.
	Result *expr.Template

	Retry []*Retrier
	Catch []*Catcher

	// Alibaba holds the data-flow rules of the Alibaba dialects.
	Alibaba *AlibabaFlow
}

// DataFlow holds a state's input and output processing. In JSONPath mode
// a nil path means the field is absent (the default "$"); NullPath means
// it was given as null.
type DataFlow struct {
	InputPath      *OptPath
	Parameters     *expr.Template
	ResultSelector *expr.Template
	ResultPath     *OptPath
	OutputPath     *OptPath

	// JSONata mode.
	Arguments *expr.Template
	Output    *expr.Template

	// Assign maps variable names to values, in source order (both modes).
	Assign []expr.TemplateField
}

// OptPath is a path field that may be given as null (discard the input
// or the result, or pass {}).
type OptPath struct {
	Path *expr.Path // nil when the field was null
	Pos  Pos
}

// Task holds the fields of a Task state.
type Task struct {
	Resource    string
	ResourcePos Pos
	// Kind classifies the resource for the code generator.
	Kind ResourceKind

	TimeoutSeconds       *IntOrExpr
	HeartbeatSeconds     *IntOrExpr
	Credentials          *expr.Template
	ResultSelectorIsNull bool
}

// ResourceKind classifies a Task resource.
type ResourceKind string

// The resource kinds.
const (
	ResourceLambda        ResourceKind = "lambda"        // a Lambda function ARN
	ResourceLambdaInvoke  ResourceKind = "lambda-invoke" // arn:aws:states:::lambda:invoke
	ResourceStepFunctions ResourceKind = "states-start"  // a nested Step Functions execution
	ResourceFC            ResourceKind = "fc"            // an Alibaba Function Compute function
	ResourceActivity      ResourceKind = "activity"      // a Step Functions activity
	ResourceService       ResourceKind = "service"       // another AWS or Alibaba service
	ResourceOpaque        ResourceKind = "opaque"        // a deployment placeholder
)

// IntOrExpr is a number of seconds given literally, by a path (the
// "...Path" field form) or by a JSONata expression.
type IntOrExpr struct {
	Value int64
	// Placeholder is a deployment placeholder such as "${Timeout}" that
	// stands for the number until the template is deployed.
	Placeholder string
	Path        *expr.Path
	JSONata     *expr.JSONata
	Pos         Pos
}

// NumberOrExpr is a number, not necessarily whole, given literally, by a
// path or by a JSONata expression.
type NumberOrExpr struct {
	Value       float64
	Placeholder string
	Path        *expr.Path
	JSONata     *expr.JSONata
	Pos         Pos
}

// Wait holds the fields of a Wait state; exactly one is set.
type Wait struct {
	Seconds       *IntOrExpr
	Timestamp     string
	TimestampPath *expr.Path
	// TimestampJSONata is the Timestamp field as a JSONata expression.
	TimestampJSONata *expr.JSONata
}

// Fail holds the fields of a Fail state.
type Fail struct {
	Error *StringOrExpr
	Cause *StringOrExpr
}

// StringOrExpr is a string given literally, by a path or intrinsic call
// (the "...Path" field form), or by a JSONata expression.
type StringOrExpr struct {
	Value   string
	Path    *expr.Path
	Call    *expr.Call
	JSONata *expr.JSONata
	Pos     Pos
}

// ChoiceBranch is one element of a Choice state's Choices.
type ChoiceBranch struct {
	Pos     Pos
	Rule    *expr.Rule
	Next    string
	NextPos Pos
	// Assign and Output of a JSONata-mode or variable-assigning choice.
	Assign []expr.TemplateField
	Output *expr.Template
	// Comment of the rule.
	Comment string
	// Alibaba is the condition of an Alibaba dialect's choice, which
	// replaces Rule.
	Alibaba *AlibabaCondition
}

// Map holds the fields of a Map state.
type Map struct {
	// Processor is the ItemProcessor (or the older Iterator).
	Processor *Graph
	// LegacyIterator is true when the definition used Iterator.
	LegacyIterator bool

	ItemsPath    *OptPath
	Items        *expr.Template
	ItemSelector *expr.Template
	// ParametersForm is true when ItemSelector was written as Parameters.
	ParametersForm bool

	MaxConcurrency             *IntOrExpr
	ToleratedFailureCount      *IntOrExpr
	ToleratedFailurePercentage *NumberOrExpr

	ItemReader   *expr.Template
	ItemBatcher  *expr.Template
	ResultWriter *expr.Template
	Label        string
}

// Retrier is one element of a Retry field.
type Retrier struct {
	Pos             Pos
	ErrorEquals     []string
	IntervalSeconds int64
	MaxAttempts     int64
	BackoffRate     float64
	MaxDelaySeconds int64
	JitterStrategy  string
	Comment         string
}

// Catcher is one element of a Catch field.
type Catcher struct {
	Pos         Pos
	ErrorEquals []string
	Next        string
	NextPos     Pos
	ResultPath  *OptPath
	Assign      []expr.TemplateField
	Output      *expr.Template
	Comment     string
}
