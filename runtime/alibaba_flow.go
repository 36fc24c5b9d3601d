package runtime

import "github.com/jointlambda/jlgen/runtime/expr"

// The dialects whose states carry an AlibabaFlow.
const (
	// DialectFlow is Alibaba Serverless Workflow's flow format (type: flow).
	DialectFlow = "fnf-flow"
	// DialectCloudFlow is Alibaba CloudFlow (Type: StateMachine).
	DialectCloudFlow = "cloudflow"
)

// AlibabaFlow is the data flow of a state written in an Alibaba dialect.
// It replaces the ASL fields of State (InputPath, Parameters, ResultPath,
// ...), which such a state leaves empty. The rules that give the fields
// their meaning are those of ir.AlibabaFlow's documentation; the comments
// below say which rule reads each field.
type AlibabaFlow struct {
	// Dialect is DialectFlow or DialectCloudFlow; it chooses the rules.
	Dialect string

	// InputMappings build the step's input from its parent's input
	// ($input) and local ($local); nil means the parent's input merged
	// with its local. OutputMappings build the output, which goes into
	// the parent's local, from the step's input and its own local; nil
	// means the local (or, for parallel and foreach, nothing).
	// ErrorMappings build the output of a task whose error a catch
	// caught, from $local.error and $local.cause. Flow format only.
	InputMappings  []AlibabaMapping
	OutputMappings []AlibabaMapping
	ErrorMappings  []AlibabaMapping

	// Scope names the choice steps whose inline branch steps contain
	// this state, outermost first. Entering a branch opens a local for
	// its choice; leaving a scope closes it, innermost first, by applying
	// the choice's OutputMappings and merging the result into the local
	// of the choice's parent.
	Scope []string

	// Iteration is a foreach step's iteration mapping; nil otherwise.
	Iteration *AlibabaIteration

	// Action is a flow-format task's service integration, such as
	// "ocr:RecognizeIdentityCard", and ServiceParams its parameters,
	// evaluated with $ bound to the step's input.
	Action        string
	ServiceParams *expr.AlibabaTemplate
	// Pattern is a flow-format task's integration pattern:
	// requestResponse, sync or waitForCallback.
	Pattern string
	// Function names the Function Compute function a task invokes, when
	// its resource names one.
	Function *AlibabaFunction

	// WaitSeconds and WaitUntil are a flow-format wait step's duration or
	// timestamp read from the step's input; a constant one is in
	// State.Seconds or State.Timestamp instead.
	WaitSeconds *expr.AlibabaExpr
	WaitUntil   *expr.AlibabaExpr

	// InputConstructor builds a CloudFlow state's input from $Input,
	// $Context and $Global; nil means the previous state's output.
	InputConstructor *expr.AlibabaTemplate
	// OutputConstructor builds a CloudFlow state's output from $Input,
	// $Output, $Context and $Global; nil means the task's result (for a
	// Map, an object whose Items member holds the iterations' outputs).
	OutputConstructor *expr.AlibabaTemplate
	// Parameters are a CloudFlow task's parameters (for FC:InvokeFunction
	// its resourceArn, invocationType and body).
	Parameters *expr.AlibabaTemplate
	// TaskMode is a CloudFlow task's RequestComplete,
	// WaitForCustomCallback or Sync.
	TaskMode string
	// ItemsPath selects a CloudFlow Map's items from its input, and
	// ItemConstructor builds each iteration's input from $Item, $Input
	// and $Context.
	ItemsPath       *expr.AlibabaExpr
	ItemConstructor *expr.AlibabaTemplate
	// ExecutionMode (Express or Standard) and Mode (Inline or
	// Distributed) are a CloudFlow Map's ProcessorConfig.
	ExecutionMode string
	Mode          string
}

// AlibabaMapping is one element of a flow-format mapping list: the key it
// sets in the object being built and the value it sets there.
type AlibabaMapping struct {
	Target string
	// Source is a constant or an expression over $input, $local and
	// $context.
	Source *expr.AlibabaTemplate
}

// AlibabaIteration is a foreach step's iterationMapping. Each iteration's
// input is the step's input merged with {Item: element} and, when Index
// is set, {Index: position}.
type AlibabaIteration struct {
	// Collection selects the array from the foreach step's input.
	Collection *expr.AlibabaExpr
	Item       string
	Index      string
}

// AlibabaFunction names a Function Compute function. Region and Account
// are empty when the definition referred to the function by name only.
type AlibabaFunction struct {
	Region, Account, Service, Function string
}
