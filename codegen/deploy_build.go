package codegen

import "strings"

// buildScriptBody is deploy/build.sh after its header: it builds the
// binaries that deploy/template.yaml and deploy/s.yaml deploy.
const buildScriptBody = `
# Builds the binaries the deployment files deploy, from the package's
# directory whatever the current one:
#   deploy/build/lambda.zip    the Lambda bootstrap (provided.al2023, arm64)
#   deploy/build/fc/bootstrap  the Function Compute custom runtime (x86_64)
# Needs go and zip.
set -eu
cd "$(dirname "$0")/.."
out=deploy/build
mkdir -p "$out/lambda" "$out/fc"

echo "build $out/lambda.zip"
GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -tags lambda.norpc -trimpath \
	-o "$out/lambda/bootstrap" ./lambda
rm -f "$out/lambda.zip"
(cd "$out/lambda" && zip -q ../lambda.zip bootstrap)

echo "build $out/fc/bootstrap"
GOOS=linux GOARCH=amd64 CGO_ENABLED=0 go build -trimpath -o "$out/fc/bootstrap" ./fc
`

// buildScript writes deploy/build.sh, a POSIX shell script.
func (g *gen) buildScript() []byte {
	var b strings.Builder
	b.WriteString("#!/bin/sh\n")
	for _, line := range g.headerLines() {
		b.WriteString("# " + line + "\n")
	}
	b.WriteString(buildScriptBody)
	return []byte(b.String())
}
