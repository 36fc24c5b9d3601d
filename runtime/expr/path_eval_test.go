package expr

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const evalDoc = `{
  "foo": 123, "bar": ["a", "b", "c"], "car": {"cdr": true},
  "jar": [{"a": 1}, {"a": 5}, {"a": 2}, {"a": 7, "t": ["x"]}, {"a": 3}],
  "n": {"x": {"name": "in"}, "name": "top"}, "s": "hello", "max": 3
}`

func decode(t testing.TB, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPathGet(t *testing.T) {
	doc := decode(t, evalDoc)
	tests := []struct {
		path string
		want string // JSON, or "" when nothing is found
	}{
		{"$", evalDoc},
		{"$.foo", `123`},
		{"$.bar", `["a","b","c"]`},
		{"$.car.cdr", `true`},
		{"$.bar[-1]", `"c"`},
		{"$.bar[5]", ``},
		{"$.nope.x", ``},
		{"$.bar[*]", `["a","b","c"]`},
		{"$.bar[1:]", `["b","c"]`},
		{"$.bar[::-1]", `["c","b","a"]`},
		{"$.bar[0,2]", `["a","c"]`},
		{"$.jar[?(@.a >= 5)]", `[{"a":5},{"a":7,"t":["x"]}]`},
		{"$.jar[?(@.a > 1 && @.a < 4)].a", `[2,3]`},
		{"$.jar[?(@.t)].a", `[7]`},
		{"$.jar[?(!@.t)].a", `[1,5,2,3]`},
		{"$.jar[?(@.a == $.max)].a", `[3]`},
		{"$.jar[?(@.a in [1, 2])].a", `[1,2]`},
		{"$.jar[?(@.t contains 'x')].a", `[7]`},
		{"$.jar[?(@.a == 9)]", `[]`},
		{"$..name", `["top","in"]`},
		{"$.bar.length()", `3`},
		{"$.jar[*].a.sum()", `18`},
		{"$.jar[*].a.max()", `7`},
		{"$.n.keys()", `["name","x"]`},
		{"$.s[?(@ =~ /h.*/)]", `[]`},
	}
	for _, tt := range tests {
		p, err := ParsePath(tt.path)
		if err != nil {
			t.Fatalf("ParsePath(%q): %v", tt.path, err)
		}
		got, ok := p.Get(doc)
		if tt.want == "" {
			if ok {
				t.Errorf("Get(%q) = %v, want nothing", tt.path, got)
			}
			continue
		}
		if diff := cmp.Diff(decode(t, tt.want), got); !ok || diff != "" {
			t.Errorf("Get(%q) found=%v (-want +got):\n%s", tt.path, ok, diff)
		}
	}
}
