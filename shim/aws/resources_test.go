package aws

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/google/go-cmp/cmp"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

const validateARN = "arn:aws:lambda:us-east-1:123456789012:function:validate:live"

// answering returns an answer of a function that succeeded with body,
// executed as version.
func answering(version, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amz-Executed-Version", version)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}
}

// failing returns an answer of a function that failed with payload.
func failing(payload string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
		w.Header().Set("X-Amz-Executed-Version", "$LATEST")
		io.WriteString(w, payload)
	}
}

// stateError returns err as a state error, or fails the test.
func stateError(t *testing.T, err error) *jlrt.StateError {
	t.Helper()
	var se *jlrt.StateError
	if !errors.As(err, &se) {
		t.Fatalf("error %v is not a *runtime.StateError", err)
	}
	return se
}

// TestResourcesLambda checks a Task state whose resource is a function
// ARN: one signed synchronous Invoke of that ARN with the input as payload,
// and the response decoded as the runtime decodes JSON.
func TestResourcesLambda(t *testing.T) {
	fake, client := startLambda(t)
	fake.answer(validateARN, answering("3", `{"valid": true, "score": 1.5}`))
	r := jlrt.Resource{State: "Validate", Kind: "lambda", ARN: validateARN}
	input := map[string]any{"order": json.Number("7"), "items": []any{"a"}}

	got, err := Resources(client).Call(context.Background(), r, input)
	if err != nil {
		t.Fatalf("Call: %v", err)
	}
	want := map[string]any{"valid": true, "score": json.Number("1.5")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	calls := fake.takeCalls()
	if len(calls) != 1 {
		t.Fatalf("Call sent %d requests, want 1", len(calls))
	}
	c := calls[0]
	if c.Method != http.MethodPost || c.Function != validateARN {
		t.Errorf("request %s of %q, want POST of %q", c.Method, c.Function, validateARN)
	}
	if got := c.Header.Get("X-Amz-Invocation-Type"); got != "RequestResponse" {
		t.Errorf("X-Amz-Invocation-Type: %q, want RequestResponse", got)
	}
	if !strings.HasPrefix(c.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
		t.Errorf("Authorization: %q, want a SigV4 signature", c.Header.Get("Authorization"))
	}
	if c.Body != `{"items":["a"],"order":7}` {
		t.Errorf("body %s, want the input as JSON", c.Body)
	}
}

// TestResourcesLambdaErrors checks how failures become state errors: a
// function error is named by its errorType (Lambda.Unknown without one)
// with the payload as cause, a failed request as Step Functions names it,
// and a canceled context stays what it is.
func TestResourcesLambdaErrors(t *testing.T) {
	fake, client := startLambda(t)
	res := Resources(client)
	typed := `{"errorType":"OrderInvalid","errorMessage":"no items","stackTrace":[]}`
	untyped := `{"errorMessage":"2026-03-01T10:00:00Z Task timed out after 3.00 seconds"}`
	cases := []struct {
		function string
		answer   http.HandlerFunc
		name     string
		cause    string
	}{
		{"typed", failing(typed), "OrderInvalid", typed},
		{"untyped", failing(untyped), "Lambda.Unknown", untyped},
		{"throttled", erroring(429, "TooManyRequestsException"),
			"Lambda.TooManyRequestsException", "Status Code: 429; Error Code: " +
				"TooManyRequestsException; Request ID: req-arn:aws:lambda:us-east-1:1:" +
				"function:throttled"},
		{"down", erroring(500, "ServiceException"), "Lambda.ServiceException",
			"ServiceException for the test (Service: AWSLambda; Status Code: 500"},
		{"bare", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Del("X-Amzn-RequestId")
			http.Error(w, "oops", http.StatusBadGateway)
		}, "Lambda.AWSLambdaException", "Status Code: 502"},
	}
	for _, c := range cases {
		arn := "arn:aws:lambda:us-east-1:1:function:" + c.function
		fake.answer(arn, c.answer)
		_, err := res.Call(context.Background(), jlrt.Resource{State: "S", Kind: "lambda",
			ARN: arn}, map[string]any{})
		se := stateError(t, err)
		if se.Name != c.name || !strings.Contains(se.Cause, c.cause) {
			t.Errorf("%s: state error %q, %q; want %q with a cause containing %q",
				c.function, se.Name, se.Cause, c.name, c.cause)
		}
	}

	slowSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(300 * time.Millisecond):
		}
	}))
	defer slowSrv.Close()
	slow := Resources(lambda.New(lambda.Options{Region: "us-east-1",
		Credentials: testCredentials, BaseEndpoint: &slowSrv.URL, RetryMaxAttempts: 1,
		HTTPClient: &http.Client{Timeout: 30 * time.Millisecond}}))
	_, err := slow.Call(context.Background(), jlrt.Resource{State: "S", Kind: "lambda",
		ARN: validateARN}, nil)
	if se := stateError(t, err); se.Name != "Lambda.ClientExecutionTimeoutException" {
		t.Errorf("timed out request: state error %q, want "+
			"Lambda.ClientExecutionTimeoutException", se.Name)
	}

	closed := Resources(newLambdaClient(closedURL(t)))
	_, err = closed.Call(context.Background(), jlrt.Resource{State: "S", Kind: "lambda",
		ARN: validateARN}, nil)
	if se := stateError(t, err); se.Name != "Lambda.SdkClientException" {
		t.Errorf("unanswered request: state error %q, want Lambda.SdkClientException", se.Name)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = res.Call(ctx, jlrt.Resource{State: "S", Kind: "lambda", ARN: validateARN}, nil)
	var se *jlrt.StateError
	if !errors.Is(err, context.Canceled) || errors.As(err, &se) {
		t.Errorf("canceled call = %v, want the context's error and no state error", err)
	}

	fake.takeCalls()
	_, err = res.Call(context.Background(), jlrt.Resource{State: "S", Kind: "lambda",
		ARN: "arn:aws:lambda:${AWS::Region}:1:function:f"}, nil)
	if err == nil || len(fake.takeCalls()) != 0 {
		t.Errorf("a placeholder ARN: %v, want an error and no request", err)
	}
}

// TestResourcesLambdaInvoke checks arn:aws:states:::lambda:invoke: the
// parameters become the request (FunctionName, Qualifier, InvocationType,
// Payload byte for byte), and the result is shaped like Step Functions'
// output.
func TestResourcesLambdaInvoke(t *testing.T) {
	fake, client := startLambda(t)
	fake.answer("validate", answering("7", `{"valid":true}`))
	res := Resources(client)
	r := jlrt.Resource{State: "Invoke", Kind: "lambda-invoke",
		ARN: "arn:aws:states:::lambda:invoke"}
	input := map[string]any{"FunctionName": "validate", "Qualifier": "live",
		"Payload": map[string]any{"order": json.Number("7")}}

	got, err := res.Call(context.Background(), r, input)
	if err != nil {
		t.Fatalf("Call: %v", err)
	}
	calls := fake.takeCalls()
	if len(calls) != 1 {
		t.Fatalf("Call sent %d requests, want 1", len(calls))
	}
	c := calls[0]
	if c.Function != "validate" || c.Query != "Qualifier=live" || c.Body != `{"order":7}` ||
		c.Header.Get("X-Amz-Invocation-Type") != "RequestResponse" {
		t.Errorf("request of %q?%s as %q with %s, want validate?Qualifier=live as "+
			"RequestResponse with {\"order\":7}", c.Function, c.Query,
			c.Header.Get("X-Amz-Invocation-Type"), c.Body)
	}
	out, _ := got.(map[string]any)
	meta, _ := out["SdkHttpMetadata"].(map[string]any)
	headers, _ := meta["HttpHeaders"].(map[string]any)
	checks := []struct {
		field string
		got   any
		want  any
	}{
		{"ExecutedVersion", out["ExecutedVersion"], "7"},
		{"Payload", out["Payload"], map[string]any{"valid": true}},
		{"StatusCode", out["StatusCode"], json.Number("200")},
		{"SdkHttpMetadata.HttpStatusCode", meta["HttpStatusCode"], json.Number("200")},
		{"SdkHttpMetadata.HttpHeaders.X-Amz-Executed-Version",
			headers["X-Amz-Executed-Version"], "7"},
		{"SdkResponseMetadata", out["SdkResponseMetadata"],
			map[string]any{"RequestId": "req-validate"}},
	}
	for _, ch := range checks {
		if diff := cmp.Diff(ch.want, ch.got); diff != "" {
			t.Errorf("result's %s (-want +got):\n%s", ch.field, diff)
		}
	}

	got, err = res.Call(context.Background(), r, map[string]any{"FunctionName": "notify",
		"InvocationType": "Event", "Payload": "text"})
	out, _ = got.(map[string]any)
	if err != nil || out["StatusCode"] != json.Number("202") || out["Payload"] != "" {
		t.Errorf("Event invocation = %v, %v; want StatusCode 202 and an empty Payload",
			got, err)
	}
	if c := fake.takeCalls(); len(c) != 1 || c[0].Body != `"text"` {
		t.Errorf("Event invocation sent %+v, want one request with the payload \"text\"", c)
	}

	fake.answer("broken", failing(`{"errorType":"Boom","errorMessage":"x"}`))
	_, err = res.Call(context.Background(), r, map[string]any{"FunctionName": "broken"})
	if se := stateError(t, err); se.Name != "Boom" {
		t.Errorf("function error: state error %q, want Boom", se.Name)
	}
}

// TestResourcesLambdaInvokeBadParameters checks that parameters Lambda
// could not take fail the state with States.Runtime and send nothing.
func TestResourcesLambdaInvokeBadParameters(t *testing.T) {
	fake, client := startLambda(t)
	r := jlrt.Resource{State: "Invoke", Kind: "lambda-invoke",
		ARN: "arn:aws:states:::lambda:invoke"}
	for _, input := range []any{
		map[string]any{"Payload": map[string]any{}},
		map[string]any{"FunctionName": "f", "InvocationType": "Later"},
		map[string]any{"FunctionName": json.Number("7")},
		[]any{"f"},
	} {
		_, err := Resources(client).Call(context.Background(), r, input)
		if se := stateError(t, err); se.Name != "States.Runtime" {
			t.Errorf("parameters %v: state error %q, want States.Runtime", input, se.Name)
		}
	}
	if n := len(fake.takeCalls()); n != 0 {
		t.Errorf("bad parameters sent %d requests, want 0", n)
	}
}

// TestResourcesUnsupported checks that the kinds shim/aws does not call
// are errors that name the kind and wrap ErrUnsupportedResource.
func TestResourcesUnsupported(t *testing.T) {
	fake, client := startLambda(t)
	for kind, arn := range map[string]string{
		"states-start":  "arn:aws:states:::states:startExecution.sync:2",
		"activity":      "arn:aws:states:us-east-1:1:activity:approve",
		"service":       "arn:aws:states:::dynamodb:putItem",
		"opaque":        "${ValidateArn}",
		"fc":            "acs:fc:cn-hangzhou:1:functions/validate",
		"lambda-invoke": "arn:aws:states:::lambda:invoke.waitForTaskToken",
	} {
		_, err := Resources(client).Call(context.Background(),
			jlrt.Resource{State: "S", Kind: kind, ARN: arn}, map[string]any{})
		if !errors.Is(err, ErrUnsupportedResource) || !strings.Contains(err.Error(), arn) {
			t.Errorf("kind %s: %v, want an ErrUnsupportedResource that names %s", kind, err,
				arn)
		}
	}
	if n := len(fake.takeCalls()); n != 0 {
		t.Errorf("unsupported resources sent %d requests, want 0", n)
	}
}
