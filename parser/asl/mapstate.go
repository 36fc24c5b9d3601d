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
	mp.ToleratedFailurePercentage = p.seconds(s, n, "ToleratedFailurePercentage", 0, 100)
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
