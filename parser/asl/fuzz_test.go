package asl_test

import (
	"github.com/jointlambda/jlgen/internal/gendef"
	"os"
	"path/filepath"
	"testing"

	"github.com/jointlambda/jlgen/parser/asl"
)

// FuzzParse feeds arbitrary documents to the parser, seeded with the
// testdata definitions and a generated machine. Every input must return
// without a panic, and a rejected one must say where.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "asl", "*", "definition.*"))
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add(gendef.Chain(8))
	f.Add([]byte("StartAt: A\nStates:\n  A: {Type: Succeed}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, diags := asl.Parse("fuzz.json", data)
		for _, d := range diags {
			if d.Msg == "" {
				t.Fatalf("empty diagnostic at %s", d.Pos)
			}
		}
	})
}
