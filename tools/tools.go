//go:build tools

// Package tools pins the servers the integration tests run against, so
// that .ci/services.sh installs them with go install at these versions
// and they stay out of the main module's go.mod.
package tools

import (
	_ "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"
	_ "github.com/versity/versitygw/cmd/versitygw"
)
