package asl

import (
	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
)

func (p *parser) fail(s *ir.State, n *source.Node) {
	s.Fail = &ir.Fail{
		Error: p.stringOrExpr(s, n, "Error"),
		Cause: p.stringOrExpr(s, n, "Cause"),
	}
}

// stringOrExpr reads FIELD (a string, or JSONata in JSONata mode) or
// FIELDPath (a path or an intrinsic function call).
func (p *parser) stringOrExpr(s *ir.State, n *source.Node, field string) *ir.StringOrExpr {
	if m := n.Get(field); m != nil {
		v := &ir.StringOrExpr{Pos: m.Value.Pos}
		if s.QueryLanguage == ir.JSONata && isJSONata(m.Value) {
			v.JSONata = p.jsonata(m.Value, field)
			return v
		}
		var ok bool
		if v.Value, ok = p.str(m.Value, field); !ok {
			return nil
		}
		return v
	}
	if m := n.Get(field + "Path"); m != nil && s.QueryLanguage == ir.JSONPath {
		v := &ir.StringOrExpr{Pos: m.Value.Pos}
		v.Path, v.Call = p.pathOrCall(m.Value, field+"Path")
		if v.Path == nil && v.Call == nil {
			return nil
		}
		return v
	}
	return nil
}
