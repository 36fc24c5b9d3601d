package runtime

import (
	"fmt"

	"github.com/jointlambda/jlgen/runtime/expr"
)

// AlibabaCondition is a parsed choice condition of an Alibaba dialect.
type AlibabaCondition = expr.AlibabaExpr

// MustAlibabaCondition parses an Alibaba choice condition.
func MustAlibabaCondition(s string) *AlibabaCondition {
	e, err := expr.ParseAlibabaExpr(s)
	if err != nil {
		panic(fmt.Sprintf("jlrt: condition %q: %v", s, err))
	}
	return e
}

// The modes of MustAlibabaTemplate, under the names generated code uses.
const (
	AlibabaSourceMode      = expr.AlibabaSourceMode
	AlibabaParamsMode      = expr.AlibabaParamsMode
	AlibabaConstructorMode = expr.AlibabaConstructorMode
)

// MustAlibabaExpr parses an Alibaba expression, such as a foreach
// collection, a wait's duration or a CloudFlow ItemsPath.
func MustAlibabaExpr(s string) *expr.AlibabaExpr {
	e, err := expr.ParseAlibabaExpr(s)
	if err != nil {
		panic(fmt.Sprintf("jlrt: Alibaba expression %q: %v", s, err))
	}
	return e
}

// MustAlibabaTemplate parses an Alibaba template from its JSON text by the
// rules of mode (see expr.ParseAlibabaTemplate).
func MustAlibabaTemplate(text string, mode expr.AlibabaTemplateMode) *expr.AlibabaTemplate {
	t, err := expr.ParseAlibabaTemplate([]byte(text), mode)
	if err != nil {
		panic(fmt.Sprintf("jlrt: Alibaba template %s: %v", text, err))
	}
	return t
}

// MustAlibabaMapping is a flow-format mapping whose source is given as
// JSON text: a quoted path or constant, or a constant object or array.
func MustAlibabaMapping(target, source string) AlibabaMapping {
	return AlibabaMapping{Target: target, Source: MustAlibabaTemplate(source, AlibabaSourceMode)}
}
