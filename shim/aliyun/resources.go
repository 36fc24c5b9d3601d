package aliyun

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	fc "github.com/alibabacloud-go/fc-20230330/v4/client"
	"github.com/alibabacloud-go/tea/dara"
	fc2 "github.com/aliyun/fc-go-sdk"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// headerErrorType is the response header by which Function Compute (2.0
// and 3.0) tells that the function failed, with the value
// UnhandledInvocationError or HandledInvocationError, while the answer
// itself is 200 OK.
const headerErrorType = "X-Fc-Error-Type"

// cloudFlowInvoke is the Action of a CloudFlow Task state that invokes a
// function; the function, the invocation type and the event are its
// Parameters (resourceArn, invocationType, body), which are the input the
// adapter hands to Call.
const cloudFlowInvoke = "FC:InvokeFunction"

// placeholderRE matches a deployment placeholder, such as ${FunctionArn}.
var placeholderRE = regexp.MustCompile(`\$\{[^{}]*\}`)

// Resources returns the caller of the existing Function Compute functions
// that Task states name: 2.0 functions through v2, 3.0 functions through
// v3. Either client may be nil when no Task state names a function of its
// version; a call that needs it then fails with an error that says which
// client is missing.
//
// A resource is one of
//
//	acs:fc:{region}:{account}:services/{service}/functions/{function}
//	acs:fc:{region}:{account}:services/{service}.{qualifier}/functions/{function}
//	!Ref {service}/{function}
//	acs:fc:{region}:{account}:functions/{function}
//	acs:fc:{region}:{account}:functions/{function}/{qualifier}
//	FC:InvokeFunction
//
// The first three are 2.0 functions, the next two 3.0 functions; the last
// is a CloudFlow Task whose input holds resourceArn (one of the others),
// invocationType (Sync, the default, or Async) and body (the event: a
// string as it stands, anything else as JSON). The region and account of
// an ARN are not checked: the call goes to the client's endpoint.
// Deployment placeholders (${...}) are only known once the template is
// deployed and are rejected, as are resources of other kinds.
//
// Call invokes the function synchronously (x-fc-invocation-type: Sync,
// unless a CloudFlow task asks for Async), with the input as JSON for its
// event, and returns the response body
// decoded as JSON (numbers as json.Number), or as a string when it is
// not JSON, or nil when it is empty (as the 202 of an Async invocation
// is). Costs: one InvokeFunction request, which waits for the function to
// finish, billed as any invocation. The request ends when ctx does (for
// 2.0, as FC2Invoker describes); a 2.0 call also ends at the SDK's
// timeout, 60 seconds unless its client was made with fc.WithTimeout, so
// give that client the longest function's timeout. An event over Function
// Compute's payload limit is refused (FC.EntityTooLarge).
//
// Failures are *jlrt.StateError values, named as Serverless Workflow and
// CloudFlow name them, so that Retry and Catch match them:
//
//   - Function Compute refused the invocation (an answer other than 2xx):
//     "FC." and the error code, such as FC.ResourceThrottled or
//     FC.FunctionNotFound, with the error message as the cause; CloudFlow
//     documents this form as FC.{ErrorCode}
//     (https://help.aliyun.com/document_detail/2500862.html).
//   - The function failed (X-Fc-Error-Type on a 200 answer): the errorType
//     of the function's error document ({"errorMessage", "errorType",
//     "stackTrace"}, https://www.alibabacloud.com/help/en/functioncompute/fc/error-handling-1-1)
//     when it has one, as a function raising MyError is caught by MyError;
//     otherwise "FC." and the header's kind: FC.Unhandled or FC.Handled.
//     The cause is the errorMessage, or the whole body. (The pages found
//     do not say how the workflow services name a function's own error;
//     this naming is the shim's, after how Step Functions names Lambda's.)
//
// A failure keeps the SDK error it came from, so Classify and Retryable
// tell what it is. A request that got no answer (a network failure, an
// ended ctx) is returned as the plain error it is.
func Resources(v3 *fc.Client, v2 *fc2.Client) jlrt.Resources {
	return &resources{v3: v3, v2: v2}
}

type resources struct {
	v3 *fc.Client
	v2 *fc2.Client
}

// fcCall is one invocation a Task state asks for.
type fcCall struct {
	target  fcFunction
	async   bool
	payload []byte
}

// fcFunction is a function a resource names.
type fcFunction struct {
	// v2 tells a Function Compute 2.0 function, which lives in service.
	v2        bool
	service   string
	function  string
	qualifier string
}

// String names the function as its ARN's resource part does.
func (f fcFunction) String() string {
	if !f.v2 {
		return "functions/" + f.function + qualified("/", f.qualifier)
	}
	return "services/" + f.service + qualified(".", f.qualifier) + "/functions/" + f.function
}

func qualified(sep, qualifier string) string {
	if qualifier == "" {
		return ""
	}
	return sep + qualifier
}

// Call calls the function r names with input, and returns its result.
func (rs *resources) Call(ctx context.Context, r jlrt.Resource, input any) (any, error) {
	call, err := newFCCall(r, input)
	if err != nil {
		return nil, fmt.Errorf("call %s for state %q: %w", r.ARN, r.State, err)
	}
	var out any
	if call.target.v2 {
		out, err = rs.invoke2(ctx, call)
	} else {
		out, err = rs.invoke3(ctx, call)
	}
	if err != nil {
		return nil, fmt.Errorf("call %s for state %q: %w", r.ARN, r.State, err)
	}
	return out, nil
}

// newFCCall tells which function r names and what to send it.
func newFCCall(r jlrt.Resource, input any) (fcCall, error) {
	if err := checkResource(r); err != nil {
		return fcCall{}, err
	}
	if strings.EqualFold(strings.TrimSpace(r.ARN), cloudFlowInvoke) {
		return cloudFlowCall(input)
	}
	target, err := parseFunction(r.ARN)
	if err != nil {
		return fcCall{}, err
	}
	payload, err := json.Marshal(input)
	if err != nil {
		return fcCall{}, fmt.Errorf("encode the input: %w", err)
	}
	return fcCall{target: target, payload: payload}, nil
}

// checkResource rejects the resources the shim cannot call.
func checkResource(r jlrt.Resource) error {
	if p := placeholderRE.FindString(r.ARN); p != "" {
		return fmt.Errorf("the resource holds the deployment placeholder %s, which is only "+
			"known once the template is deployed: deploy the template, or put the function's "+
			"ARN in the definition", p)
	}
	if r.Kind != "fc" {
		return fmt.Errorf("the resource is of kind %q: the Alibaba shim calls only Function "+
			"Compute functions (kind \"fc\")", r.Kind)
	}
	return nil
}

// cloudFlowCall reads the Parameters of a CloudFlow FC:InvokeFunction
// task: resourceArn, invocationType and body.
func cloudFlowCall(input any) (fcCall, error) {
	params, ok := input.(map[string]any)
	if !ok {
		return fcCall{}, fmt.Errorf("%s takes an object of parameters, not %T",
			cloudFlowInvoke, input)
	}
	arn, ok := params["resourceArn"].(string)
	if !ok {
		return fcCall{}, fmt.Errorf("%s: parameter resourceArn is missing or not a string",
			cloudFlowInvoke)
	}
	if err := checkResource(jlrt.Resource{ARN: arn, Kind: "fc"}); err != nil {
		return fcCall{}, fmt.Errorf("%s %s: %w", cloudFlowInvoke, arn, err)
	}
	target, err := parseFunction(arn)
	if err != nil {
		return fcCall{}, fmt.Errorf("%s: %w", cloudFlowInvoke, err)
	}
	call := fcCall{target: target}
	switch t := params["invocationType"]; t {
	case nil, invocationSync:
	case invocationAsync:
		call.async = true
	default:
		return fcCall{}, fmt.Errorf("%s: invocationType %v is neither Sync nor Async",
			cloudFlowInvoke, t)
	}
	if call.payload, err = eventBody(params["body"]); err != nil {
		return fcCall{}, fmt.Errorf("%s: %w", cloudFlowInvoke, err)
	}
	return call, nil
}

// eventBody is the event a CloudFlow body stands for: a string as it
// stands, anything else as JSON, nothing when there is no body.
func eventBody(body any) ([]byte, error) {
	switch b := body.(type) {
	case nil:
		return nil, nil
	case string:
		return []byte(b), nil
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encode the body: %w", err)
	}
	return payload, nil
}

// parseFunction reads the function a resource names (see Resources for
// the forms).
func parseFunction(arn string) (fcFunction, error) {
	if ref, ok := strings.CutPrefix(arn, "!Ref "); ok {
		svc, fn, ok := strings.Cut(strings.TrimSpace(ref), "/")
		if !ok || svc == "" || fn == "" || strings.Contains(fn, "/") {
			return fcFunction{}, fmt.Errorf("resource %q is not a !Ref of service/function", arn)
		}
		return fcFunction{v2: true, service: svc, function: fn}, nil
	}
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) != 5 || parts[0] != "acs" || parts[1] != "fc" {
		return fcFunction{}, fmt.Errorf("resource %q is not a function compute ARN "+
			"(acs:fc:{region}:{account}:...)", arn)
	}
	segs := strings.Split(parts[4], "/")
	for _, s := range segs {
		if s == "" {
			return fcFunction{}, fmt.Errorf("resource %q has an empty path segment", arn)
		}
	}
	switch {
	case len(segs) == 4 && segs[0] == "services" && segs[2] == "functions":
		svc, qualifier, _ := strings.Cut(segs[1], ".")
		return fcFunction{v2: true, service: svc, qualifier: qualifier, function: segs[3]}, nil
	case (len(segs) == 2 || len(segs) == 3) && segs[0] == "functions":
		f := fcFunction{function: segs[1]}
		if len(segs) == 3 {
			f.qualifier = segs[2]
		}
		return f, nil
	}
	return fcFunction{}, fmt.Errorf("resource %q names no function: want services/{service}/"+
		"functions/{function} (function compute 2.0) or functions/{function} (3.0)", arn)
}

// invoke2 invokes a Function Compute 2.0 function.
func (rs *resources) invoke2(ctx context.Context, call fcCall) (any, error) {
	if rs.v2 == nil {
		return nil, fmt.Errorf("%s is a function compute 2.0 function, and the shim has no "+
			"2.0 client (Resources was given a nil fc-go-sdk client)", call.target)
	}
	t := call.target
	in := fc2.NewInvokeFunctionInput(t.service, t.function).WithPayload(call.payload).
		WithInvocationType(invocationType(call.async))
	if t.qualifier != "" {
		in = in.WithQualifier(t.qualifier)
	}
	out, err := invokeFC2(ctx, rs.v2, in)
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", t, refused(err))
	}
	return result(out.Header.Get(headerErrorType), out.Payload)
}

// invoke3 invokes a Function Compute 3.0 function.
func (rs *resources) invoke3(ctx context.Context, call fcCall) (any, error) {
	if rs.v3 == nil {
		return nil, fmt.Errorf("%s is a function compute 3.0 function, and the shim has no "+
			"3.0 client (Resources was given a nil fc-20230330 client)", call.target)
	}
	t := call.target
	req := &fc.InvokeFunctionRequest{Body: bytes.NewReader(call.payload)}
	if t.qualifier != "" {
		req.Qualifier = dara.String(t.qualifier)
	}
	headers := &fc.InvokeFunctionHeaders{
		XFcInvocationType: dara.String(invocationType(call.async))}
	out, err := rs.v3.InvokeFunctionWithContext(ctx, &t.function, req, headers,
		&dara.RuntimeOptions{})
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", t, refused(fc3Error(err)))
	}
	var body []byte
	if out.Body != nil {
		body, err = io.ReadAll(out.Body)
		if c, ok := out.Body.(io.Closer); ok {
			c.Close()
		}
		if err != nil {
			return nil, fmt.Errorf("invoke %s: read the response: %w", t, err)
		}
	}
	return result(header(out.Headers, headerErrorType), body)
}

func invocationType(async bool) string {
	if async {
		return invocationAsync
	}
	return invocationSync
}

// header returns the value of the response header name, whatever the
// case of its key.
func header(headers map[string]*string, name string) string {
	for k, v := range headers {
		if strings.EqualFold(k, name) {
			return dara.StringValue(v)
		}
	}
	return ""
}

// result is what a Task state gets of a function's answer: its body
// decoded, or the function's failure when errorType is set.
func result(errorType string, body []byte) (any, error) {
	if errorType != "" {
		return nil, functionFailed(errorType, body)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil
	}
	if !json.Valid(body) {
		return string(body), nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("decode the response: %w", err)
	}
	return v, nil
}

// functionFailed names the failure of a function that raised an error;
// kind is the X-Fc-Error-Type header, body the function's error document.
func functionFailed(kind string, body []byte) error {
	var doc struct {
		ErrorMessage *string `json:"errorMessage"`
		ErrorType    string  `json:"errorType"`
	}
	_ = json.Unmarshal(body, &doc) // a body that is no document is the cause as it stands
	se := &jlrt.StateError{Name: doc.ErrorType, Cause: string(body)}
	if se.Name == "" {
		se.Name = "FC." + strings.TrimSuffix(kind, "InvocationError")
	}
	if doc.ErrorMessage != nil {
		se.Cause = *doc.ErrorMessage
	}
	return se
}

// refused names the error of an answer by which Function Compute refused
// an invocation FC.{ErrorCode}, keeping the SDK's error for Classify. An
// error with no code (no answer at all, as a rule) stays as it is.
func refused(err error) error {
	_, code, ok := serviceStatus(err)
	if !ok || code == "" {
		return err
	}
	return &taskError{
		state: &jlrt.StateError{Name: "FC." + code, Cause: serviceMessage(err)},
		err:   err,
	}
}

// serviceMessage returns the message of Function Compute's error
// document that err reports, or err's text.
func serviceMessage(err error) string {
	var v2 *fc2.ServiceError
	if errors.As(err, &v2) && v2.ErrorMessage != "" {
		return v2.ErrorMessage
	}
	var doc interface {
		error
		GetData() map[string]any
	}
	if errors.As(err, &doc) {
		for _, key := range []string{"Message", "message"} {
			if m, ok := doc.GetData()[key].(string); ok && m != "" {
				return m
			}
		}
	}
	return err.Error()
}

// taskError is a failure as the workflow sees it, a StateError, that
// keeps the SDK's error it came from: errors.As finds either.
type taskError struct {
	state *jlrt.StateError
	err   error
}

func (e *taskError) Error() string   { return e.state.Error() }
func (e *taskError) Unwrap() []error { return []error{e.state, e.err} }
