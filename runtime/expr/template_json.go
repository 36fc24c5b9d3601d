package expr

import (
	"encoding/json"
)

// AppendJSON appends the template as JSON text that ParseTemplate turns
// back into the same template: dynamic fields get their ".$" suffix back
// in JSONPath mode, and JSONata expressions their "{% %}" delimiters.
func (t *Template) AppendJSON(b []byte) []byte {
	switch t.Kind {
	case TemplateObject:
		b = append(b, '{')
		for i, f := range t.Fields {
			if i > 0 {
				b = append(b, ',')
			}
			name := f.Name
			if f.Value.Kind == TemplatePath || f.Value.Kind == TemplateIntrinsic {
				name += ".$"
			}
			b = appendJSONString(b, name)
			b = append(b, ':')
			b = f.Value.AppendJSON(b)
		}
		return append(b, '}')
	case TemplateArray:
		b = append(b, '[')
		for i, it := range t.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = it.AppendJSON(b)
		}
		return append(b, ']')
	case TemplatePath:
		return appendJSONString(b, t.Path.String())
	case TemplateIntrinsic:
		return appendJSONString(b, t.Call.String())
	case TemplateJSONata:
		return appendJSONString(b, "{% "+t.JSONata.String()+" %}")
	}
	v, err := json.Marshal(t.Literal)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, v...)
}

func appendJSONString(b []byte, s string) []byte {
	v, _ := json.Marshal(s)
	return append(b, v...)
}
