// Package aws runs a generated workflow's functions on AWS Lambda, with
// their records in DynamoDB (DynamoStore) and large payloads in S3
// (S3Blobs).
//
// Not yet: the Lambda invoker and the wiring of Main; until then Main
// starts the Lambda handler, which rejects every invocation with an error
// that says so, and Resources rejects every call likewise.
package aws

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-lambda-go/lambda"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// ErrNotImplemented reports that the AWS backend does not exist yet.
var ErrNotImplemented = errors.New("shim/aws: the AWS backend's Lambda invoker is not " +
	"implemented yet")

// Main starts the Lambda handler of the workflow's functions.
func Main(wf *jlrt.Workflow) {
	lambda.Start(func(ctx context.Context, envelope json.RawMessage) error {
		return fmt.Errorf("workflow %s: %w", wf.Name, ErrNotImplemented)
	})
}

// Resources returns the caller of existing Lambda functions and state
// machines that the generated adapters use.
func Resources() jlrt.Resources { return resources{} }

type resources struct{}

// Call calls the resource r with input.
func (resources) Call(ctx context.Context, r jlrt.Resource, input any) (any, error) {
	return nil, fmt.Errorf("call %s for state %q: %w", r.ARN, r.State, ErrNotImplemented)
}
