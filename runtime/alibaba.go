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
