package source

import (
	"encoding/json"
	"strconv"
)

// AppendJSON appends the node as compact JSON text, keeping the order of
// object members, so that a value can be handed on exactly as written.
func (n *Node) AppendJSON(b []byte) []byte {
	switch n.Kind {
	case Bool:
		return strconv.AppendBool(b, n.Bool)
	case Number:
		return append(b, n.Text...)
	case String:
		return appendString(b, n.Text)
	case Array:
		b = append(b, '[')
		for i, it := range n.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = it.AppendJSON(b)
		}
		return append(b, ']')
	case Object:
		b = append(b, '{')
		for i, m := range n.Members {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, m.Key)
			b = append(b, ':')
			b = m.Value.AppendJSON(b)
		}
		return append(b, '}')
	}
	return append(b, "null"...)
}

func appendString(b []byte, s string) []byte {
	q, err := json.Marshal(s)
	if err != nil {
		return append(b, `""`...)
	}
	return append(b, q...)
}

// Lookup follows pointer, object keys and array indexes, from n and
// returns the node it leads to, or the deepest node on the way.
func (n *Node) Lookup(pointer []string) *Node {
	cur := n
	for _, p := range pointer {
		switch cur.Kind {
		case Object:
			m := cur.Get(p)
			if m == nil {
				return cur
			}
			cur = m.Value
		case Array:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(cur.Items) {
				return cur
			}
			cur = cur.Items[i]
		default:
			return cur
		}
	}
	return cur
}
