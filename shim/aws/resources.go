package aws

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// ErrUnsupportedResource reports a Task state's resource of a kind that
// shim/aws does not call.
var ErrUnsupportedResource = errors.New("shim/aws does not call this kind of resource yet")

// lambdaInvokeARN is the end of the ARN of Step Functions' optimized
// Lambda integration; the partition before it varies.
const lambdaInvokeARN = ":states:::lambda:invoke"

// Resources returns the caller of the existing resources that Task states
// name, through client, as Step Functions would call them:
//
//   - Kind "lambda" (a function ARN as the resource, with or without a
//     qualifier): one synchronous Invoke (RequestResponse) with the input
//     as payload; the result is the function's response, decoded.
//   - Kind "lambda-invoke" (arn:aws:states:::lambda:invoke): the input
//     holds FunctionName, Payload and optionally Qualifier,
//     InvocationType, ClientContext and LogType; the result is shaped
//     like Step Functions' output: ExecutedVersion, Payload (decoded, or
//     "" when empty), SdkHttpMetadata (AllHttpHeaders, HttpHeaders,
//     HttpStatusCode), SdkResponseMetadata (RequestId) and StatusCode.
//     The callback form (.waitForTaskToken) is not supported.
//
// A function error (the X-Amz-Function-Error header) fails the state
// with a *runtime.StateError named by the errorType of the error payload,
// or Lambda.Unknown without one (out of memory, a timeout), whose cause is
// the payload. A failed request fails it with the name Step Functions
// gives: "Lambda." and the service's error code
// (Lambda.TooManyRequestsException, Lambda.ServiceException,
// Lambda.ResourceNotFoundException...), Lambda.AWSLambdaException for an
// answer without a code, Lambda.ClientExecutionTimeoutException for a
// client-side timeout and Lambda.SdkClientException for a request that
// got no answer. A canceled or expired ctx is returned as it is, not as
// a state error. Any other kind of resource ("states-start", "activity",
// "service", "opaque") is an error that wraps ErrUnsupportedResource.
//
// Cost: one Invoke request per call, and the function's duration; a
// synchronous payload is at most 6 MB each way.
func Resources(client *lambda.Client) jlrt.Resources {
	return &lambdaResources{client: client}
}

type lambdaResources struct{ client *lambda.Client }

// Call calls the resource r with input.
func (c *lambdaResources) Call(ctx context.Context, r jlrt.Resource, input any) (any,
	error) {
	switch r.Kind {
	case "lambda":
		return c.callFunction(ctx, r, input)
	case "lambda-invoke":
		if !strings.HasSuffix(r.ARN, lambdaInvokeARN) {
			return nil, fmt.Errorf("state %q: resource %s: only the request-response form "+
				"of lambda:invoke is supported: %w", r.State, r.ARN, ErrUnsupportedResource)
		}
		return c.callInvoke(ctx, r, input)
	}
	return nil, fmt.Errorf("state %q: resource %s of kind %q: %w", r.State, r.ARN, r.Kind,
		ErrUnsupportedResource)
}

// callFunction invokes the function the resource's ARN names, with input.
func (c *lambdaResources) callFunction(ctx context.Context, r jlrt.Resource,
	input any) (any, error) {
	if strings.Contains(r.ARN, "${") {
		return nil, fmt.Errorf("state %q: resource %s has a placeholder the deployment "+
			"did not substitute", r.State, r.ARN)
	}
	payload, err := json.Marshal(input)
	if err != nil {
		return nil, fmt.Errorf("state %q: encode the input of %s: %w", r.State, r.ARN, err)
	}
	out, err := c.client.Invoke(ctx, &lambda.InvokeInput{
		FunctionName:   &r.ARN,
		InvocationType: types.InvocationTypeRequestResponse,
		Payload:        payload,
	})
	if err != nil {
		return nil, requestError(ctx, r, err)
	}
	if fe := functionError(out); fe != nil {
		return nil, fe
	}
	return decodePayload(out.Payload)
}

// invokeParams are the parameters of lambda:invoke.
type invokeParams struct {
	FunctionName   string          `json:"FunctionName"`
	Payload        json.RawMessage `json:"Payload"`
	Qualifier      *string         `json:"Qualifier"`
	InvocationType string          `json:"InvocationType"`
	ClientContext  *string         `json:"ClientContext"`
	LogType        string          `json:"LogType"`
}

// callInvoke runs lambda:invoke with the parameters input holds.
func (c *lambdaResources) callInvoke(ctx context.Context, r jlrt.Resource,
	input any) (any, error) {
	p, err := readInvokeParams(input)
	if err != nil {
		return nil, &jlrt.StateError{Name: "States.Runtime",
			Cause: fmt.Sprintf("state %q: lambda:invoke: %v", r.State, err)}
	}
	in := &lambda.InvokeInput{
		FunctionName:   &p.FunctionName,
		InvocationType: types.InvocationType(p.InvocationType),
		Qualifier:      p.Qualifier,
		ClientContext:  p.ClientContext,
		LogType:        types.LogType(p.LogType),
	}
	if p.Payload != nil {
		in.Payload = p.Payload
	}
	out, err := c.client.Invoke(ctx, in)
	if err != nil {
		return nil, requestError(ctx, r, err)
	}
	if fe := functionError(out); fe != nil {
		return nil, fe
	}
	return invokeOutput(out)
}

// readInvokeParams reads and checks the parameters of lambda:invoke.
func readInvokeParams(input any) (*invokeParams, error) {
	raw, err := json.Marshal(input)
	if err != nil {
		return nil, fmt.Errorf("encode the parameters: %w", err)
	}
	var p invokeParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("the parameters are not an object of the expected "+
			"fields: %w", err)
	}
	if p.FunctionName == "" {
		return nil, errors.New("the parameters have no FunctionName")
	}
	switch types.InvocationType(p.InvocationType) {
	case "":
		p.InvocationType = string(types.InvocationTypeRequestResponse)
	case types.InvocationTypeRequestResponse, types.InvocationTypeEvent,
		types.InvocationTypeDryRun:
	default:
		return nil, fmt.Errorf("InvocationType %q is not RequestResponse, Event or DryRun",
			p.InvocationType)
	}
	return &p, nil
}

// invokeOutput is lambda:invoke's result as Step Functions shapes it,
// decoded as the runtime decodes JSON.
func invokeOutput(out *lambda.InvokeOutput) (any, error) {
	status := int(out.StatusCode)
	meta := map[string]any{"HttpStatusCode": status}
	if raw, ok := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response); ok {
		all := map[string][]string{}
		first := map[string]string{}
		for name, values := range raw.Header {
			all[name] = values
			first[name] = values[0]
		}
		meta["AllHttpHeaders"], meta["HttpHeaders"] = all, first
		meta["HttpStatusCode"] = raw.StatusCode
	}
	reqID, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
	result := map[string]any{
		"ExecutedVersion":     stringOr(out.ExecutedVersion, ""),
		"Payload":             json.RawMessage(`""`),
		"SdkHttpMetadata":     meta,
		"SdkResponseMetadata": map[string]any{"RequestId": reqID},
		"StatusCode":          status,
	}
	if len(out.Payload) > 0 {
		result["Payload"] = payloadJSON(out.Payload)
	}
	raw, err := json.Marshal(result)
	if err != nil {
		return nil, fmt.Errorf("encode the lambda:invoke result: %w", err)
	}
	return decodePayload(raw)
}

// payloadJSON is a response payload as JSON: itself, or a string of it
// when it is not JSON.
func payloadJSON(payload []byte) json.RawMessage {
	if json.Valid(payload) {
		return payload
	}
	s, _ := json.Marshal(string(payload))
	return s
}

// decodePayload decodes a response payload with numbers as json.Number,
// as the runtime does: an empty payload is null, and one that is not
// JSON is its text.
func decodePayload(payload []byte) (any, error) {
	if len(bytes.TrimSpace(payload)) == 0 {
		return nil, nil
	}
	if !json.Valid(payload) {
		return string(payload), nil
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("decode the response payload: %w", err)
	}
	return v, nil
}

// functionError returns the state error of an invocation whose function
// failed, and nil for one that succeeded.
func functionError(out *lambda.InvokeOutput) *jlrt.StateError {
	if out.FunctionError == nil || *out.FunctionError == "" {
		return nil
	}
	var body struct {
		ErrorType string `json:"errorType"`
	}
	name := "Lambda.Unknown"
	if json.Unmarshal(out.Payload, &body) == nil && body.ErrorType != "" {
		name = body.ErrorType
	}
	return &jlrt.StateError{Name: name, Cause: string(out.Payload)}
}

// requestError is the error of a failed Invoke request, named as Step
// Functions names it.
func requestError(ctx context.Context, r jlrt.Resource, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("state %q: invoke %s: %w", r.State, r.ARN, err)
	}
	var api smithy.APIError
	hasAPI := errors.As(err, &api)
	status := 0
	var resp interface{ HTTPStatusCode() int }
	if errors.As(err, &resp) {
		status = resp.HTTPStatusCode()
	}
	var netErr net.Error
	switch {
	case hasAPI && api.ErrorCode() != "":
		return &jlrt.StateError{Name: "Lambda." + api.ErrorCode(),
			Cause: serviceCause(err, api.ErrorMessage(), status, api.ErrorCode())}
	case hasAPI || status > 0:
		return &jlrt.StateError{Name: "Lambda.AWSLambdaException",
			Cause: serviceCause(err, err.Error(), status, "")}
	case errors.As(err, &netErr) && netErr.Timeout():
		return &jlrt.StateError{Name: "Lambda.ClientExecutionTimeoutException",
			Cause: err.Error()}
	}
	return &jlrt.StateError{Name: "Lambda.SdkClientException", Cause: err.Error()}
}

// serviceCause is the cause of a service's answer, in the form Step
// Functions quotes from the Java SDK.
func serviceCause(err error, msg string, status int, code string) string {
	reqID := ""
	var withID interface{ ServiceRequestID() string }
	if errors.As(err, &withID) {
		reqID = withID.ServiceRequestID()
	}
	return fmt.Sprintf("%s (Service: AWSLambda; Status Code: %d; Error Code: %s; "+
		"Request ID: %s; Proxy: null)", msg, status, code, reqID)
}

func stringOr(s *string, def string) string {
	if s == nil {
		return def
	}
	return *s
}
