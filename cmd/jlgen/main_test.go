package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"jlgen": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts drives the real command as a user would, one txtar script
// per scenario under testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script", Setup: goEnv})
}

// goEnv hands the scripts what jlgen run and jlgen test need to build the
// generated code: the Go toolchain's settings and caches, and in
// JLGEN_SOURCE the jlgen checkout a script's module replaces jlgen with.
func goEnv(env *testscript.Env) error {
	src, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return err
	}
	env.Setenv("JLGEN_SOURCE", src)
	for _, k := range []string{"PATH", "HOME", "GOPATH", "GOMODCACHE", "GOCACHE", "GOPROXY",
		"GOFLAGS", "GONOSUMDB", "GOSUMDB", "GOTOOLCHAIN"} {
		if v, ok := os.LookupEnv(k); ok {
			env.Setenv(k, v)
		}
	}
	for _, k := range []string{"GOMODCACHE", "GOCACHE"} {
		if _, ok := os.LookupEnv(k); !ok {
			out, err := exec.Command("go", "env", k).Output()
			if err != nil {
				return err
			}
			env.Setenv(k, strings.TrimSpace(string(out)))
		}
	}
	return nil
}
