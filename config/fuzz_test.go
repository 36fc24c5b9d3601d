package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that no input makes Parse panic, that it returns either
// a config or an error, and that every config it returns is valid.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*/jlgen.*")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("fuzz.yaml", data)
		if (cfg == nil) == (err == nil) {
			t.Fatalf("Parse returned config %v and error %v", cfg, err)
		}
		if cfg == nil {
			return
		}
		if ds := cfg.validate(); len(ds) > 0 {
			t.Fatalf("Parse accepted an invalid config: %v", ds)
		}
		cloud, failover := cfg.Placement("S")
		if _, ok := cfg.Clouds[cloud]; !ok || len(failover) == 0 || failover[0] != cloud {
			t.Fatalf("Placement = %q, %q", cloud, failover)
		}
	})
}
