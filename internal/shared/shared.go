// Package shared locates the shared corpora (../shared in CI: real
// definitions by others and the conformance cases recorded against AWS)
// for tests. Their path comes from the JLGEN_SHARED environment variable,
// which .ci/run sets; without it the tests that need them skip.
package shared

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvVar names the environment variable holding the shared folder's path.
const EnvVar = "JLGEN_SHARED"

// Dir returns the shared folder joined with elem, skipping the test when
// EnvVar is unset and failing it when the folder does not exist.
func Dir(t testing.TB, elem ...string) string {
	t.Helper()
	root := os.Getenv(EnvVar)
	if root == "" {
		t.Skipf("%s is not set: set it to the shared folder (../shared) to run this test",
			EnvVar)
	}
	dir := filepath.Join(append([]string{root}, elem...)...)
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("%s=%s: %v", EnvVar, root, err)
	}
	return dir
}
