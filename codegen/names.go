package codegen

import (
	"go/token"
	"strconv"
	"strings"
	"unicode"
)

// maxIdentLen bounds identifiers derived from names, keeping generated
// lines readable; a longer name is cut and made unique by a suffix.
const maxIdentLen = 48

// namer derives Go identifiers from state names: exported, valid, unique
// among the names it has given, and stable for a given definition.
type namer struct {
	byName map[string]string
	used   map[string]bool
}

func newNamer(reserved ...string) *namer {
	n := &namer{byName: map[string]string{}, used: map[string]bool{}}
	for _, r := range reserved {
		n.used[r] = true
	}
	return n
}

// ident returns the identifier of name, the same one every time.
func (n *namer) ident(name string) string {
	if id, ok := n.byName[name]; ok {
		return id
	}
	base := identBase(name)
	id := base
	for i := 2; n.used[id]; i++ {
		id = base + strconv.Itoa(i)
	}
	n.used[id] = true
	n.byName[name] = id
	return id
}

// identBase turns name into an exported Go identifier: letters and digits
// kept, words joined in CamelCase, everything else dropped, and an "X" in
// front when the result would not start with an upper-case letter.
func identBase(name string) string {
	var b strings.Builder
	upper := true
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if upper {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upper = false
		default:
			upper = true
		}
	}
	id := b.String()
	if runes := []rune(id); len(runes) > maxIdentLen {
		id = string(runes[:maxIdentLen])
	}
	if id == "" || !unicode.IsUpper([]rune(id)[0]) {
		id = "X" + id
	}
	if token.IsKeyword(id) || !token.IsIdentifier(id) {
		id = "X" + id
	}
	return id
}

// commentText makes text from the definition safe to put in a // comment:
// quoted, so that no line break or other control character survives.
func commentText(s string) string {
	return strconv.Quote(s)
}
