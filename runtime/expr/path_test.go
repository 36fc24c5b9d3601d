package expr

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParsePathAccepts(t *testing.T) {
	tests := []struct {
		in       string
		root     Root
		variable string
		definite bool
	}{
		{"$", RootInput, "", true},
		{"$.a.b", RootInput, "", true},
		{"$['k']", RootInput, "", true},
		{`$["k"]`, RootInput, "", true},
		{"$.a[0]", RootInput, "", true},
		{"$.a[-1]", RootInput, "", true},
		{"$.a[*]", RootInput, "", false},
		{"$.a.*", RootInput, "", false},
		{"$.a[1:3]", RootInput, "", false},
		{"$.a[::2]", RootInput, "", false},
		{"$.a[-2:]", RootInput, "", false},
		{"$.a[0,1]", RootInput, "", false},
		{"$['a','b']", RootInput, "", false},
		{"$.a[?(@.x > 2)]", RootInput, "", false},
		{"$.a[?(@.x == 'y' && @.z)]", RootInput, "", false},
		{"$.a[?(@.x>2||!(@.y=~/ab+c/i))]", RootInput, "", false},
		{"$.a[?(@.tags contains 'x')]", RootInput, "", false},
		{"$.a[?(@.k in ['a', \"b\", 1, true, null])]", RootInput, "", false},
		{"$.a[?(@.n <= $.max)]", RootInput, "", false},
		{"$..name", RootInput, "", false},
		{"$..['name']", RootInput, "", false},
		{"$..*", RootInput, "", false},
		{"$.a.length()", RootInput, "", true},
		{"$.detail-type", RootInput, "", true},
		{"$.abc.['def ghi']", RootInput, "", true},
		{"$.a[ 'b c' ]", RootInput, "", true},
		{"$.a[ 0 , 1 ]", RootInput, "", false},
		{"$.名前.ñ", RootInput, "", true},
		{`$.a\.b`, RootInput, "", true},
		{`$['it\'s']`, RootInput, "", true},
		{"$[*][*]", RootInput, "", false},
		{" $.a ", RootInput, "", true},
		{"$$", RootContext, "", true},
		{"$$.Execution.Input", RootContext, "", true},
		{"$$.Map.Item.Value", RootContext, "", true},
		{"$$.Task.Token", RootContext, "", true},
		{"$name", RootVariable, "name", true},
		{"$name.a.b", RootVariable, "name", true},
		{"$_x1[0]", RootVariable, "_x1", true},
		{"$states.input", RootVariable, "states", true},
	}
	for _, tt := range tests {
		p, err := ParsePath(tt.in)
		if err != nil {
			t.Errorf("ParsePath(%q): %v", tt.in, err)
			continue
		}
		got := []any{p.String(), p.Root(), p.Variable(), p.IsDefinite()}
		want := []any{tt.in, tt.root, tt.variable, tt.definite}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ParsePath(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParsePathSteps(t *testing.T) {
	tests := []struct {
		in   string
		want []step
	}{
		{`$.a['b','c'][1]`, []step{
			{kind: stepField, offset: 1, names: []string{"a"}},
			{kind: stepField, offset: 3, names: []string{"b", "c"}},
			{kind: stepIndex, offset: 12, indexes: []int{1}},
		}},
		{`$..x[1:-1:2]`, []step{
			{kind: stepField, offset: 1, descend: true, names: []string{"x"}},
			{kind: stepSlice, offset: 4, rare: &stepRare{slice: sliceBounds{start: 1, end: -1,
				step: 2, hasStart: true, hasEnd: true, hasStep: true}}},
		}},
		{`$["a\"b\u00e9\n"]`, []step{
			{kind: stepField, offset: 1, names: []string{"a\"bé\n"}},
		}},
	}
	for _, tt := range tests {
		p, err := ParsePath(tt.in)
		if err != nil {
			t.Fatalf("ParsePath(%q): %v", tt.in, err)
		}
		opt := cmp.AllowUnexported(step{}, stepRare{}, sliceBounds{})
		if diff := cmp.Diff(tt.want, p.steps, opt); diff != "" {
			t.Errorf("ParsePath(%q) steps (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParsePathRejects(t *testing.T) {
	tests := []struct {
		in   string
		want SyntaxError
	}{
		{"", SyntaxError{0, "a path must start with $"}},
		{"a.b", SyntaxError{0, "a path must start with $"}},
		{"@.a", SyntaxError{0, "a path must start with $"}},
		{"$.", SyntaxError{2, "missing field name after '.'"}},
		{"$.a.", SyntaxError{4, "missing field name after '.'"}},
		{"$. a", SyntaxError{2,
			"missing field name after '.'; use ['...'] for names with blanks"}},
		{"$.a b", SyntaxError{4, "unexpected 'b'"}},
		{"$[", SyntaxError{2, "unexpected end of path"}},
		{"$[]", SyntaxError{2, "empty brackets"}},
		{"$['a'", SyntaxError{5, "missing ']'"}},
		{"$['a]", SyntaxError{2, "unterminated string"}},
		{"$[0,'a']", SyntaxError{4, "cannot mix field names and indexes in brackets"}},
		{"$['a',0]", SyntaxError{6, "cannot mix field names and indexes in brackets"}},
		{"$[1:2:0]", SyntaxError{6, "slice step cannot be zero"}},
		{"$[-]", SyntaxError{2, "expected digits after '-'"}},
		{"$[99999999999999999999]", SyntaxError{2,
			"index 99999999999999999999 out of range"}},
		{"$.a.foo()", SyntaxError{4, `unknown path function "foo()"`}},
		{"$.a.length().b", SyntaxError{12, "a path function must be the last step"}},
		{"$.a.length(1)", SyntaxError{11, "path function length() takes no arguments"}},
		{"$[?(@.a ==)]", SyntaxError{10, "unexpected ')'"}},
		{"$[?(@.a == 1]", SyntaxError{12, `expected ')', found ']'`}},
		{"$[?(1)]", SyntaxError{5, "expected a comparison operator"}},
		{"$[?(@.a =~ /(/)]", SyntaxError{11,
			"invalid regular expression: error parsing regexp: missing closing ): `(`"}},
		{"$[?(@.a =~ /ab)]", SyntaxError{11, "unterminated regular expression"}},
		{"$[?(@.a == 1x)]", SyntaxError{11, `invalid value "1x" in filter`}},
		{`$.a\`, SyntaxError{3, "backslash at end of path"}},
		{"$.a)", SyntaxError{3, "unexpected ')'"}},
		{"$$$", SyntaxError{2, "unexpected '$'"}},
	}
	for _, tt := range tests {
		_, err := ParsePath(tt.in)
		checkSyntaxError(t, "ParsePath", tt.in, err, tt.want)
	}
}

func TestParsePathNestingLimit(t *testing.T) {
	deep := "$[?(" + strings.Repeat("(", 100) + "@.a" + strings.Repeat(")", 100) + ")]"
	_, err := ParsePath(deep)
	se, ok := err.(*SyntaxError)
	if !ok || se.Msg != "path nested too deeply" {
		t.Errorf("ParsePath(deep) = %v, want nesting error", err)
	}
}

func TestParseReferencePath(t *testing.T) {
	for _, in := range []string{"$", "$.a", "$.a.b[0]", "$['a b'].c", "$.a[-1]"} {
		if _, err := ParseReferencePath(in); err != nil {
			t.Errorf("ParseReferencePath(%q): %v", in, err)
		}
	}
	tests := []struct {
		in   string
		want SyntaxError
	}{
		{"$$.Execution", SyntaxError{0, "a reference path must start with $ followed by . or ["}},
		{"$var.a", SyntaxError{0, "a reference path must start with $ followed by . or ["}},
		{"$.a[*]", SyntaxError{3, "a reference path cannot contain a wildcard"}},
		{"$.a.*", SyntaxError{3, "a reference path cannot contain a wildcard"}},
		{"$..a", SyntaxError{1, "a reference path cannot use recursive descent (..)"}},
		{"$.a[0:2]", SyntaxError{3, "a reference path cannot contain a slice"}},
		{"$.a[?(@.b)]", SyntaxError{3, "a reference path cannot contain a filter"}},
		{"$['a','b']", SyntaxError{1, "a reference path cannot contain a union"}},
		{"$.a.length()", SyntaxError{3, "a reference path cannot call a function"}},
		{"$.", SyntaxError{2, "missing field name after '.'"}},
	}
	for _, tt := range tests {
		_, err := ParseReferencePath(tt.in)
		checkSyntaxError(t, "ParseReferencePath", tt.in, err, tt.want)
	}
}

// checkSyntaxError compares err with the wanted *SyntaxError.
func checkSyntaxError(t *testing.T, fn, in string, err error, want SyntaxError) {
	t.Helper()
	se, ok := err.(*SyntaxError)
	if !ok {
		t.Errorf("%s(%q) error = %v (%T), want *SyntaxError", fn, in, err, err)
		return
	}
	if diff := cmp.Diff(want, *se); diff != "" {
		t.Errorf("%s(%q) error (-want +got):\n%s", fn, in, diff)
	}
}

func TestParsePathAWSForms(t *testing.T) {
	doc := map[string]any{"a": []any{json.Number("1"), json.Number("2"), json.Number("3")},
		"b": []any{map[string]any{"k": "FizzBuzz", "v": "x"}, map[string]any{"k": "y"}}}
	tests := []struct {
		path string
		want any
	}{
		{"$.a[(@.length-1)]", json.Number("3")},
		{"$.a[( @.length - 2 )]", json.Number("2")},
		{"$.b[?(@.k == FizzBuzz)].v", []any{"x"}},
	}
	for _, tt := range tests {
		p, err := ParsePath(tt.path)
		if err != nil {
			t.Fatalf("ParsePath(%q): %v", tt.path, err)
		}
		got, ok := p.Get(doc)
		if !ok {
			t.Fatalf("%s: no value", tt.path)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.path, diff)
		}
	}
	for _, bad := range []string{"$.a[(@.size-1)]", "$.a[(@.length-0)]", "$.a[(@.length+1)]"} {
		if _, err := ParsePath(bad); err == nil {
			t.Errorf("ParsePath(%q) accepted a script expression AWS does not", bad)
		}
	}
}
