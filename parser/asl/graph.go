package asl

import (
	"unicode/utf8"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
)

// graphLevel tells where a graph stands, which decides its extra fields.
type graphLevel int

const (
	graphTop       graphLevel = iota // the state machine itself
	graphBranch                      // a Parallel branch
	graphProcessor                   // a Map ItemProcessor or Iterator
)

// graph parses StartAt and States, and the fields its level allows.
func (p *parser) graph(n *source.Node, level graphLevel, inherit ir.QueryLanguage) *ir.Graph {
	g := &ir.Graph{Pos: n.Pos}
	g.QueryLanguage = p.queryLanguage(n, inherit)
	if level == graphTop {
		p.machineQL = g.QueryLanguage
	}
	for _, m := range n.Members {
		if !graphFields[m.Key] || !levelAllows(level, m.Key) {
			p.errorf(m.KeyPos, "unknown field %q in %s", m.Key, level)
		}
	}
	if m := n.Get("Comment"); m != nil {
		g.Comment, _ = p.str(m.Value, "Comment")
	}
	if m := n.Get("ProcessorConfig"); m != nil && level == graphProcessor {
		p.processorConfig(g, m.Value)
	}
	if g.ProcessorMode == "DISTRIBUTED" {
		// A distributed Map runs its processor as child executions, state
		// machines of their own, which may use either query language.
		outer := p.machineQL
		p.machineQL = ir.JSONPath
		defer func() { p.machineQL = outer }()
	}
	if m := n.Get("StartAt"); m == nil {
		p.errorf(n.Pos, "%s has no StartAt field", level)
	} else if s, ok := p.nonEmpty(m.Value, "StartAt"); ok {
		g.StartAt, g.StartAtPos = s, m.Value.Pos
	}
	m := n.Get("States")
	if m == nil {
		p.errorf(n.Pos, "%s has no States field", level)
		return g
	}
	if !p.object(m.Value, "States") {
		return g
	}
	if len(m.Value.Members) == 0 {
		p.errorf(m.Value.Pos, "States must have at least one state")
	}
	for i, sm := range m.Value.Members {
		g.States = append(g.States, p.state(sm, g.QueryLanguage))
		// The state's nodes are not needed any more: let them go, so that
		// a large definition is not held twice, as nodes and as IR.
		m.Value.Members[i].Value = nil
	}
	return g
}

func levelAllows(level graphLevel, field string) bool {
	switch field {
	case "Version", "TimeoutSeconds":
		return level == graphTop
	case "ProcessorConfig":
		return level == graphProcessor
	}
	return true
}

func (l graphLevel) String() string {
	switch l {
	case graphBranch:
		return "a Parallel branch"
	case graphProcessor:
		return "a Map processor"
	}
	return "the state machine"
}

func (p *parser) processorConfig(g *ir.Graph, n *source.Node) {
	if !p.object(n, "ProcessorConfig") {
		return
	}
	for _, m := range n.Members {
		switch m.Key {
		case "Mode":
			if s, ok := p.str(m.Value, "ProcessorConfig.Mode"); ok {
				if s != "INLINE" && s != "DISTRIBUTED" {
					p.errorf(m.Value.Pos, "ProcessorConfig.Mode must be INLINE or DISTRIBUTED, not %q", s)
				}
				g.ProcessorMode = s
			}
		case "ExecutionType":
			if s, ok := p.str(m.Value, "ProcessorConfig.ExecutionType"); ok {
				if s != "STANDARD" && s != "EXPRESS" {
					p.errorf(m.Value.Pos,
						"ProcessorConfig.ExecutionType must be STANDARD or EXPRESS, not %q", s)
				}
				g.ExecutionType = s
			}
		default:
			p.errorf(m.KeyPos, "unknown field %q in ProcessorConfig", m.Key)
		}
	}
	if g.ExecutionType != "" && g.ProcessorMode != "DISTRIBUTED" {
		p.errorf(n.Pos, "ProcessorConfig.ExecutionType needs Mode DISTRIBUTED")
	}
}

// stateName checks a state's name and records it for the uniqueness check.
func (p *parser) stateName(m *source.Member) {
	if m.Key == "" {
		p.errorf(m.KeyPos, "a state name must not be empty")
	}
	if n := utf8.RuneCountInString(m.Key); n > MaxStateNameLength {
		p.errorf(m.KeyPos, "state name %q is %d characters long, longer than the %d AWS allows",
			m.Key, n, MaxStateNameLength)
	}
	if first, dup := p.names[m.Key]; dup && !p.dupKeys[m.KeyPos] {
		p.errorf(m.KeyPos, "state name %q is used twice (first at %s); "+
			"names must be unique across the whole state machine", m.Key, first)
		return
	}
	if _, dup := p.names[m.Key]; !dup {
		p.names[m.Key] = m.KeyPos
	}
}
