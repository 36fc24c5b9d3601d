package expr

// Rule is a Choice rule or one of its nested boolean terms.
type Rule struct {
	// Variable is the path compared by a comparison rule.
	Variable *Path
	// Op is the comparison operator, for example "NumericLessThanPath".
	// It is empty for And, Or, Not and Condition rules.
	Op string
	// Value is the literal operand: string, json.Number or bool.
	Value any
	// ValuePath is the operand of a "...Path" operator.
	ValuePath *Path
	And       []*Rule
	Or        []*Rule
	Not       *Rule
	// Condition is the JSONata condition of a rule in JSONata mode. A
	// rule whose Condition is a literal true or false has a nil Condition,
	// no Op, and that boolean as Value.
	Condition *JSONata
}

// OperandType tells what kind of literal a comparison operator takes.
type OperandType int

// The operand types of comparison operators.
const (
	OperandString    OperandType = iota
	OperandNumber                // a JSON number
	OperandBool                  // true or false
	OperandTimestamp             // an RFC 3339 timestamp string
	OperandPattern               // a StringMatches pattern with * and \ escapes
	OperandPath                  // a path: the ...Path operators
)

// Operator describes one Choice comparison operator.
type Operator struct {
	Name    string
	Operand OperandType
}

var operators = func() map[string]Operator {
	m := map[string]Operator{}
	add := func(t OperandType, names ...string) {
		for _, n := range names {
			m[n] = Operator{Name: n, Operand: t}
		}
	}
	add(OperandString, "StringEquals", "StringLessThan", "StringGreaterThan",
		"StringLessThanEquals", "StringGreaterThanEquals")
	add(OperandPattern, "StringMatches")
	add(OperandNumber, "NumericEquals", "NumericLessThan", "NumericGreaterThan",
		"NumericLessThanEquals", "NumericGreaterThanEquals")
	add(OperandBool, "BooleanEquals", "IsNull", "IsPresent", "IsNumeric", "IsString",
		"IsBoolean", "IsTimestamp")
	add(OperandTimestamp, "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan",
		"TimestampLessThanEquals", "TimestampGreaterThanEquals")
	add(OperandPath, "StringEqualsPath", "StringLessThanPath", "StringGreaterThanPath",
		"StringLessThanEqualsPath", "StringGreaterThanEqualsPath",
		"NumericEqualsPath", "NumericLessThanPath", "NumericGreaterThanPath",
		"NumericLessThanEqualsPath", "NumericGreaterThanEqualsPath",
		"BooleanEqualsPath",
		"TimestampEqualsPath", "TimestampLessThanPath", "TimestampGreaterThanPath",
		"TimestampLessThanEqualsPath", "TimestampGreaterThanEqualsPath")
	return m
}()

// LookupOperator returns the Choice comparison operator with the given name.
func LookupOperator(name string) (Operator, bool) {
	op, ok := operators[name]
	return op, ok
}
