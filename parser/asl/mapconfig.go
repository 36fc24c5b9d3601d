package asl

import (
	"strings"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
	"github.com/jointlambda/jlgen/runtime/expr"
)

// objectSpec describes the fields of a small configuration object of a
// distributed Map: the kind of each field (nil for any JSON value) and the
// pairs that exclude each other.
type objectSpec struct {
	fields    map[string][]source.Kind
	exclusive [][2]string
	nested    map[string]*objectSpec
}

var (
	str = []source.Kind{source.String}
	num = []source.Kind{source.Number}

	readerConfig = &objectSpec{
		fields: map[string][]source.Kind{"InputType": str, "CSVHeaderLocation": str,
			"CSVHeaders": {source.Array}, "CSVDelimiter": str, "ManifestType": str,
			"MaxItems": num, "MaxItemsPath": str, "Transformation": str},
		exclusive: [][2]string{{"MaxItems", "MaxItemsPath"}},
	}
	itemReaderSpec = &objectSpec{
		fields: map[string][]source.Kind{"Resource": str, "ReaderConfig": {source.Object},
			"Parameters": nil, "Arguments": nil},
		exclusive: [][2]string{{"Parameters", "Arguments"}},
		nested:    map[string]*objectSpec{"ReaderConfig": readerConfig},
	}
	itemBatcherSpec = &objectSpec{
		fields: map[string][]source.Kind{"MaxItemsPerBatch": num,
			"MaxItemsPerBatchPath": str, "MaxInputBytesPerBatch": num,
			"MaxInputBytesPerBatchPath": str, "BatchInput": nil},
		exclusive: [][2]string{{"MaxItemsPerBatch", "MaxItemsPerBatchPath"},
			{"MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"}},
	}
	resultWriterSpec = &objectSpec{
		fields: map[string][]source.Kind{"Resource": str, "Parameters": nil,
			"Arguments": nil, "WriterConfig": {source.Object}},
		exclusive: [][2]string{{"Parameters", "Arguments"}},
	}
)

// checkObject reports fields of n that spec does not know, fields of the
// wrong kind, and pairs of fields that exclude each other.
func (p *parser) checkObject(n *source.Node, where string, spec *objectSpec) {
	for _, m := range n.Members {
		kinds, ok := spec.fields[m.Key]
		if !ok {
			p.errorf(m.KeyPos, "unknown field %q in %s", m.Key, where)
			continue
		}
		if kinds != nil && !hasKind(kinds, m.Value.Kind) && !isJSONata(m.Value) {
			p.errorf(m.Value.Pos, "%s.%s must be a %s, not %s", where, m.Key, kinds[0],
				m.Value.Kind)
			continue
		}
		if sub := spec.nested[m.Key]; sub != nil {
			p.checkObject(m.Value, where+"."+m.Key, sub)
		}
		if strings.HasSuffix(m.Key, "Path") && m.Value.Kind == source.String {
			p.path(m.Value, where+"."+m.Key)
		}
	}
	for _, pair := range spec.exclusive {
		if n.Get(pair[0]) != nil && n.Get(pair[1]) != nil {
			p.errorf(n.Get(pair[1]).KeyPos, "%s: fields %q and %q cannot be used together",
				where, pair[0], pair[1])
		}
	}
}

func hasKind(kinds []source.Kind, k source.Kind) bool {
	for _, want := range kinds {
		if want == k {
			return true
		}
	}
	return false
}

// mapConfig reads ItemReader, ItemBatcher or ResultWriter.
func (p *parser) mapConfig(s *ir.State, n *source.Node, field string) *expr.Template {
	m := n.Get(field)
	if m == nil || !p.object(m.Value, field) {
		return nil
	}
	spec := map[string]*objectSpec{"ItemReader": itemReaderSpec,
		"ItemBatcher": itemBatcherSpec, "ResultWriter": resultWriterSpec}[field]
	p.checkObject(m.Value, field, spec)
	return p.template(m.Value, field, s.QueryLanguage)
}
