package codegen_test

import (
	"testing"

	"github.com/jointlambda/jlgen/codegen"
	"github.com/jointlambda/jlgen/internal/gendef"
	"github.com/jointlambda/jlgen/parser/asl"
)

// BenchmarkGenerate1000States converts a parsed 1,000-state machine into
// its Go package, gofmt included.
func BenchmarkGenerate1000States(b *testing.B) {
	wf, diags := asl.Parse("chain.json", gendef.Chain(1000))
	if len(diags) > 0 {
		b.Fatal(diags)
	}
	opts := codegen.Options{Package: "chain", ImportPath: "example.com/chain",
		Source: "chain.json"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := codegen.Generate(wf, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConvert1000States parses, checks and converts a 1,000-state
// machine: what jlgen convert does before writing the files.
func BenchmarkConvert1000States(b *testing.B) {
	data := gendef.Chain(1000)
	opts := codegen.Options{Package: "chain", ImportPath: "example.com/chain",
		Source: "chain.json"}
	b.ReportAllocs()
	for b.Loop() {
		wf, diags := asl.Parse("chain.json", data)
		if len(diags) > 0 {
			b.Fatal(diags)
		}
		if _, err := codegen.Generate(wf, opts); err != nil {
			b.Fatal(err)
		}
	}
}
