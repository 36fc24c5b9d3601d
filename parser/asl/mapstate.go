package asl

import (
	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
)

func (p *parser) mapState(s *ir.State, n *source.Node) {
	mp := &ir.Map{}
	s.Map = mp
	proc := n.Get("ItemProcessor")
	if proc == nil {
		proc = n.Get("Iterator")
		mp.LegacyIterator = proc != nil
	}
	if proc == nil {
		p.errorf(s.Pos, "a Map state needs ItemProcessor (or the older Iterator)")
	} else if p.object(proc.Value, proc.Key) {
		mp.Processor = p.graph(proc.Value, graphProcessor, s.QueryLanguage)
	}
	p.mapItems(s, mp, n)
	mp.MaxConcurrency = p.seconds(s, n, "MaxConcurrency", 0, 1<<31-1)
	mp.ToleratedFailureCount = p.seconds(s, n, "ToleratedFailureCount", 0, 1<<31-1)
	mp.ToleratedFailurePercentage = p.percentage(s, n)
	mp.ItemReader = p.mapConfig(s, n, "ItemReader")
	mp.ItemBatcher = p.mapConfig(s, n, "ItemBatcher")
	mp.ResultWriter = p.mapConfig(s, n, "ResultWriter")
	if m := n.Get("Label"); m != nil {
		mp.Label, _ = p.str(m.Value, "Label")
	}
}

// mapItems reads where the items come from and how each is shaped.
func (p *parser) mapItems(s *ir.State, mp *ir.Map, n *source.Node) {
	if m := n.Get("ItemsPath"); m != nil && s.QueryLanguage == ir.JSONPath {
		if m.Value.Kind == source.Null {
			p.errorf(m.Value.Pos, "ItemsPath must be a path, not null")
		} else {
			mp.ItemsPath = p.optPath(m, false)
		}
	}
	if m := n.Get("Items"); m != nil && s.QueryLanguage == ir.JSONata {
		if m.Value.Kind != source.Array && !isJSONata(m.Value) {
			p.errorf(m.Value.Pos, "Items must be an array or a JSONata expression, not %s",
				m.Value.Kind)
		} else {
			mp.Items = p.jsonataTemplate(m.Value, "Items")
		}
	}
	sel := n.Get("ItemSelector")
	if sel == nil && s.QueryLanguage == ir.JSONPath {
		if sel = n.Get("Parameters"); sel != nil {
			mp.ParametersForm = true
		}
	}
	if sel != nil {
		mp.ItemSelector = p.payload(sel, s.QueryLanguage)
	}
}

// percentage reads ToleratedFailurePercentage, a number from 0 to 100 that
// need not be whole, or its Path or JSONata form.
func (p *parser) percentage(s *ir.State, n *source.Node) *ir.NumberOrExpr {
	const field = "ToleratedFailurePercentage"
	m := n.Get(field)
	if m == nil || !isNumberLiteral(m.Value) {
		v := p.seconds(s, n, field, 0, 100)
		if v == nil {
			return nil
		}
		return &ir.NumberOrExpr{Placeholder: v.Placeholder, Path: v.Path, JSONata: v.JSONata,
			Pos: v.Pos}
	}
	f, _ := m.Value.Float()
	if f < 0 || f > 100 {
		p.errorf(m.Value.Pos, "%s must be between 0 and 100, not %s", field, m.Value.Text)
		return nil
	}
	return &ir.NumberOrExpr{Value: f, Pos: m.Value.Pos}
}

func isNumberLiteral(n *source.Node) bool { return n.Kind == source.Number }
