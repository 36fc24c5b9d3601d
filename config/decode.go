package config

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml/parser"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
)

// Patterns that strings in the file must match. The schema uses the same
// ones; a test keeps them in step.
const (
	cloudNamePattern = `^[a-z][a-z0-9-]{0,31}$`
	regionPattern    = `^[a-z0-9-]+$`
	endpointPattern  = `^https?://\S+$`
	addressPattern   = `^\S+:[0-9]{1,5}$`
	ttlPattern       = `^([1-9][0-9]{0,5}h)?([1-9][0-9]{0,6}m)?([1-9][0-9]{0,8}s)?$`
)

// Load reads and parses the config file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	return Parse(path, data)
}

// Parse decodes the config in data, a YAML or JSON document; name is the
// file name used in diagnostics. Decoding is strict: unknown fields,
// duplicate keys, wrong types and values the file format does not allow
// are all errors. The error is an ir.Diagnostics holding every problem
// found, each located by line and column.
func Parse(name string, data []byte) (*Config, error) {
	root, dups, err := source.Decode(data)
	if err != nil {
		return nil, ir.Diagnostics{syntaxDiagnostic(name, err)}
	}
	d := newDecoder(name)
	if pos, ok := secondDocument(data); ok {
		d.errorf(pos, "a config is a single YAML document; a second one starts here")
	}
	for _, dup := range dups {
		d.errorf(dup.Pos, "duplicate key %q (first at %s)", dup.Key, dup.First)
	}
	if d.document(root) {
		d.diags = append(d.diags, d.cfg.validate()...)
	}
	if len(d.diags) > 0 {
		d.diags.Sort()
		return nil, d.diags
	}
	d.cfg.fillDefaults()
	return d.cfg, nil
}

func syntaxDiagnostic(name string, err error) ir.Diagnostic {
	var se *source.SyntaxError
	if errors.As(err, &se) {
		return ir.Errorf(name, se.Pos, "%s", se.Msg)
	}
	return ir.Errorf(name, ir.Pos{Line: 1, Col: 1}, "%v", err)
}

// secondDocument returns where a second, non-empty YAML document starts
// in data, if there is one. source.Decode reads only the first.
func secondDocument(data []byte) (pos ir.Pos, found bool) {
	defer func() {
		if recover() != nil {
			found = false // the YAML parser panics on some hostile input
		}
	}()
	f, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil || len(f.Docs) < 2 {
		return ir.Pos{}, false
	}
	for _, doc := range f.Docs[1:] {
		if doc.Body == nil {
			continue
		}
		tok := doc.Start
		if tok == nil {
			tok = doc.Body.GetToken()
		}
		return ir.Pos{Line: int32(tok.Position.Line), Col: int32(tok.Position.Column)}, true
	}
	return ir.Pos{}, false
}

// decoder turns the node tree of a file into a Config, collecting every
// problem it finds.
type decoder struct {
	cfg   *Config
	diags ir.Diagnostics
	re    patterns
}

type patterns struct {
	cloudName, region, endpoint, address, ttl *regexp.Regexp
}

func newDecoder(file string) *decoder {
	return &decoder{
		cfg: &Config{
			Clouds:      map[string]*Cloud{},
			StateClouds: map[string]string{},
			file:        file,
			pos:         map[string]ir.Pos{},
		},
		re: patterns{
			cloudName: regexp.MustCompile(cloudNamePattern),
			region:    regexp.MustCompile(regionPattern),
			endpoint:  regexp.MustCompile(endpointPattern),
			address:   regexp.MustCompile(addressPattern),
			ttl:       regexp.MustCompile(ttlPattern),
		},
	}
}

func (d *decoder) errorf(pos ir.Pos, format string, args ...any) {
	d.diags = append(d.diags, ir.Errorf(d.cfg.file, pos, format, args...))
}

// field is one field of a mapping and how to decode its value.
type field struct {
	name     string
	required bool
	decode   func(v *source.Node, path string)
}

// object decodes a mapping whose fields are known in advance.
func (d *decoder) object(n *source.Node, path string, fields ...field) {
	if !d.expect(n, path, source.Object) {
		return
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	for _, m := range n.Members {
		i := indexOf(names, m.Key)
		if i < 0 {
			d.errorf(m.KeyPos, "%sunknown field %q%s", subject(path), m.Key, suggest(m.Key, names))
			continue
		}
		fields[i].decode(m.Value, join(path, m.Key))
	}
	for _, f := range fields {
		if f.required && n.Get(f.name) == nil {
			d.errorf(n.Pos, "%smissing field %q", subject(path), f.name)
		}
	}
}

// members decodes a mapping whose keys are chosen by the user.
func (d *decoder) members(n *source.Node, path string, decode func(m source.Member, path string)) {
	if !d.expect(n, path, source.Object) {
		return
	}
	for _, m := range n.Members {
		d.cfg.pos[keyPath(join(path, m.Key))] = m.KeyPos
		decode(m, join(path, m.Key))
	}
}

// expect reports whether n is of kind k, and reports an error if not.
func (d *decoder) expect(n *source.Node, path string, k source.Kind) bool {
	if n.Kind == k {
		return true
	}
	d.errorf(n.Pos, "%sexpected %s, found %s", subject(path), kindName(k, true),
		kindName(n.Kind, false))
	return false
}

// str decodes a non-empty string.
func (d *decoder) str(n *source.Node, path string) (string, bool) {
	if !d.expect(n, path, source.String) {
		return "", false
	}
	if n.Text == "" {
		d.errorf(n.Pos, "%smust not be empty", subject(path))
		return "", false
	}
	d.cfg.pos[path] = n.Pos
	return n.Text, true
}

// match decodes a string that must match re; want describes such a string.
func (d *decoder) match(n *source.Node, path string, re *regexp.Regexp, want string) string {
	s, ok := d.str(n, path)
	if !ok {
		return ""
	}
	if !re.MatchString(s) {
		d.errorf(n.Pos, "%s%q is not %s", subject(path), s, want)
		return ""
	}
	return s
}

// oneOf decodes a string that must be one of allowed.
func (d *decoder) oneOf(n *source.Node, path string, allowed ...string) string {
	s, ok := d.str(n, path)
	if !ok {
		return ""
	}
	if indexOf(allowed, s) < 0 {
		d.errorf(n.Pos, "%s%q is not one of %s", subject(path), s, strings.Join(allowed, ", "))
		return ""
	}
	return s
}

// integer decodes an integer between lo and hi.
func (d *decoder) integer(n *source.Node, path string, lo, hi int) (int, bool) {
	v, ok := n.Int()
	if !ok {
		found := kindName(n.Kind, false)
		if n.Kind == source.Number {
			found = n.Text
		}
		d.errorf(n.Pos, "%sexpected an integer, found %s", subject(path), found)
		return 0, false
	}
	if v < int64(lo) || v > int64(hi) {
		d.errorf(n.Pos, "%s%d is out of range %d to %d", subject(path), v, lo, hi)
		return 0, false
	}
	d.cfg.pos[path] = n.Pos
	return int(v), true
}

func kindName(k source.Kind, article bool) string {
	name := map[source.Kind]string{
		source.Null: "null", source.Bool: "boolean", source.Number: "number",
		source.String: "string", source.Array: "list", source.Object: "mapping",
	}[k]
	if article {
		return "a " + name
	}
	return name
}

// subject prefixes a message about the value at path.
func subject(path string) string {
	if path == "" {
		return ""
	}
	return path + ": "
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// keyPath is where pos keeps the position of the key of the member at
// path, as opposed to that of its value.
func keyPath(path string) string { return path + "#key" }

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
