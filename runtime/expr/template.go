package expr

// TemplateKind tells what a Template node is.
type TemplateKind int

// The kinds of template nodes.
const (
	TemplateLiteral   TemplateKind = iota // a JSON value used as is
	TemplateObject                        // an object whose fields are templates
	TemplateArray                         // an array whose items are templates
	TemplatePath                          // "key.$": "$.path" (also "$$" and "$var")
	TemplateIntrinsic                     // "key.$": "States.Format(...)"
	TemplateJSONata                       // "{% expression %}" in JSONata mode
)

// Template is a payload template: Parameters, ResultSelector, ItemSelector,
// Pass Result in JSONPath mode, or Arguments, Output and Assign values in
// JSONata mode.
type Template struct {
	Kind TemplateKind
	// Literal is the value of a TemplateLiteral, decoded from JSON with
	// numbers as json.Number.
	Literal any
	// Fields of a TemplateObject, in source order. A field written as
	// "key.$" has Name "key".
	Fields []TemplateField
	// Items of a TemplateArray.
	Items []*Template
	// Path of a TemplatePath.
	Path *Path
	// Call of a TemplateIntrinsic.
	Call *Call
	// JSONata of a TemplateJSONata.
	JSONata *JSONata
}

// TemplateField is one field of an object template.
type TemplateField struct {
	Name  string
	Value *Template
}
