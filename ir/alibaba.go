package ir

import "github.com/jointlambda/jlgen/runtime/expr"

// AlibabaFlow holds the data-flow rules of a state written in one of the
// Alibaba dialects, whose semantics differ from ASL's. The state's
// DataFlow stays empty; the runtime applies these rules instead.
//
// Flow format (Dialect "fnf-flow"), as the FDL reference describes it:
// every step has an input, an output and a local variable ($local), all
// JSON objects. A step's parent is the step that contains it (parallel,
// foreach, or a choice whose branch holds inline steps), or the flow for
// the outermost steps.
//
//   - Input: with InputMappings, the step's input is the object built by
//     evaluating each mapping with $input = the parent's input and
//     $local = the parent's local. Without, the input is the parent's
//     input merged with the parent's local (local keys win).
//   - Local: a task's local is the function's result; a parallel's is
//     the array of its branches' locals; a foreach's the array of its
//     iterations' locals; a choice's is the local of the steps run in
//     its chosen branch; pass, wait, succeed and fail have an empty local.
//     Child steps start from an empty local.
//   - Output: with OutputMappings, the output is built by evaluating each
//     mapping with $input = the step's input and $local = its local.
//     Without, the output is the local, except for parallel and foreach,
//     whose output is then empty.
//   - Scope rule: the step's output is merged into its parent's local,
//     key by key; a later step's key overwrites an earlier one's.
//   - $context is the execution's context object (for example
//     $context.task.token, $context.execution.name, $context.flow.name).
//   - A mapping source that does not start with $input, $local or
//     $context is a constant (a string, number, object or array).
//   - Conditions and serviceParams read the step's input with $ (or $.key).
//
// CloudFlow (Dialect "cloudflow"): a state's input is the previous
// state's output, or InputConstructor evaluated with $Input, $Context and
// $Global; its output is the task's result (or for Map, an object whose
// Items member holds the iterations' outputs), or OutputConstructor
// evaluated with $Input, $Output, $Context and $Global. Constructor keys
// ending in ".$" take expressions; other values are constants.
type AlibabaFlow struct {
	// InputMappings, OutputMappings and ErrorMappings of the flow format,
	// in source order; nil means the field was absent (default rules).
	// ErrorMappings build the output of a task that failed and whose error
	// a catch caught; their sources read $local.error and $local.cause.
	InputMappings  []*AlibabaMapping
	OutputMappings []*AlibabaMapping
	ErrorMappings  []*AlibabaMapping

	// Scope lists the choice steps whose inline branch steps contain this
	// state, outermost first, within the state's graph. The flow format
	// nests steps in a choice's branch; the parser flattens them into the
	// choice's graph, so the runtime must still treat the choice as their
	// parent: on entering a branch, the choice's input becomes the parent
	// input and an empty local is opened for the choice; on a transition
	// to a state whose Scope is shorter (or differs), each closed choice
	// applies its OutputMappings to its input and that local and merges
	// the result into its own parent's local (innermost first).
	Scope []string

	// Iteration is a foreach step's iteration mapping.
	Iteration *AlibabaIteration

	// Task fields of the flow format: Action is the service integration
	// ("ocr:RecognizeIdentityCard", "fnf:StartExecution"), Pattern the
	// integration pattern (requestResponse, sync or waitForCallback),
	// ServiceParams the integration's parameters (strings starting with
	// "$" are paths into the step's input).
	Action        string
	Pattern       string
	ServiceParams *expr.AlibabaTemplate
	// Function names the Function Compute function of a task, when its
	// resource is an FC ARN or a "!Ref Service/Function" reference.
	Function *AlibabaFunction

	// WaitSeconds and WaitUntil are a wait step's duration or timestamp
	// when given as a path into the step's input ($.key); a constant goes
	// to State.Wait instead.
	WaitSeconds *expr.AlibabaExpr
	WaitUntil   *expr.AlibabaExpr

	// CloudFlow fields.
	Description       string
	InputConstructor  *expr.AlibabaTemplate
	OutputConstructor *expr.AlibabaTemplate
	// Parameters of a CloudFlow task (for FC:InvokeFunction, its
	// resourceArn, invocationType and body).
	Parameters *expr.AlibabaTemplate
	// TaskMode is RequestComplete, WaitForCustomCallback or Sync.
	TaskMode string
	// ItemsPath selects a Map state's items; ItemConstructor builds each
	// iteration's input from $Item (the element), $Input and $Context.
	ItemsPath       *expr.AlibabaExpr
	ItemConstructor *expr.AlibabaTemplate
	// ExecutionMode is a Map processor's ProcessorConfig.ExecutionMode
	// (Express or Standard) and Mode its Mode (Inline or Distributed).
	ExecutionMode string
	Mode          string
}

// AlibabaMapping is one element of inputMappings, outputMappings or
// errorMappings: the target key of the built object and its source.
type AlibabaMapping struct {
	Target    string
	TargetPos Pos
	// Source is a constant or a path.
	Source    *expr.AlibabaTemplate
	SourcePos Pos
}

// AlibabaIteration is a foreach step's iterationMapping: each iteration
// runs the step's graph with, as input, the foreach step's input merged
// with {Item: element} and, when Index is set, {Index: position}.
type AlibabaIteration struct {
	// Collection selects the array from the foreach step's input ($.key).
	Collection    *expr.AlibabaExpr
	CollectionPos Pos
	Item          string
	Index         string
}

// AlibabaFunction names a Function Compute function.
type AlibabaFunction struct {
	Region, Account, Service, Function string
}

// AlibabaCondition is a choice condition written in an Alibaba dialect.
// It replaces ChoiceBranch.Rule. The branch is taken when the expression
// evaluates, with $ (flow format) or $Input (CloudFlow) bound to the
// choice's input, to the boolean true.
//
// In the flow format a choice branch with inline steps has Next set to
// the first of them; a branch (or default) whose Next is empty ends the
// choice's graph, as does a choice with End set when no branch matches
// and it has no default: the FDL reference lets a choice without default
// fall through to the next step, which at the end of a list ends it.
type AlibabaCondition struct {
	Src  string
	Pos  Pos
	Expr *expr.AlibabaExpr
}
