package aws

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// invokeAgainst sends one Invoke through a client of a server that answers
// with h, and returns the SDK's error.
func invokeAgainst(t *testing.T, ctx context.Context, h http.HandlerFunc) error {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	_, err := newLambdaClient(srv.URL).Invoke(ctx, &lambda.InvokeInput{
		FunctionName: new("f"), Payload: []byte(`{}`)})
	return err
}

// closedURL returns the URL of a local port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + l.Addr().String()
	l.Close()
	return u
}

// TestClassify checks Classify and Retryable against the errors the SDK
// really returns for the answers a fake Lambda gives, and for requests
// that get no answer.
func TestClassify(t *testing.T) {
	bg := context.Background()
	canceled, cancel := context.WithCancel(bg)
	cancel()
	short, stop := context.WithTimeout(bg, 30*time.Millisecond)
	defer stop()
	hang := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(300 * time.Millisecond):
		}
	}
	reset := func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		}
	}
	plain := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no code here", status)
		}
	}
	ok := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) }
	cases := []struct {
		name string
		err  func() error
		want jlrt.Failure
	}{
		{"success", func() error { return invokeAgainst(t, bg, ok) }, jlrt.FailureNone},
		{"429 TooManyRequestsException", func() error {
			return invokeAgainst(t, bg, erroring(429, "TooManyRequestsException"))
		}, jlrt.FailureThrottled},
		{"400 ThrottlingException", func() error {
			return invokeAgainst(t, bg, erroring(400, "ThrottlingException"))
		}, jlrt.FailureThrottled},
		{"502 EC2ThrottledException", func() error {
			return invokeAgainst(t, bg, erroring(502, "EC2ThrottledException"))
		}, jlrt.FailureThrottled},
		{"500 ServiceException", func() error {
			return invokeAgainst(t, bg, erroring(500, "ServiceException"))
		}, jlrt.FailureUnavailable},
		{"502 ResourceNotReadyException", func() error {
			return invokeAgainst(t, bg, erroring(502, "ResourceNotReadyException"))
		}, jlrt.FailureUnavailable},
		{"409 ResourceConflictException (function Pending)", func() error {
			return invokeAgainst(t, bg, erroring(409, "ResourceConflictException"))
		}, jlrt.FailureUnavailable},
		{"409 SnapStartNotReadyException", func() error {
			return invokeAgainst(t, bg, erroring(409, "SnapStartNotReadyException"))
		}, jlrt.FailureUnavailable},
		{"502 KMSAccessDeniedException", func() error {
			return invokeAgainst(t, bg, erroring(502, "KMSAccessDeniedException"))
		}, jlrt.FailureUnavailable},
		{"500 without a code", func() error { return invokeAgainst(t, bg, plain(500)) },
			jlrt.FailureUnavailable},
		{"503 without a code", func() error { return invokeAgainst(t, bg, plain(503)) },
			jlrt.FailureUnavailable},
		{"429 without a code", func() error { return invokeAgainst(t, bg, plain(429)) },
			jlrt.FailureThrottled},
		{"408 without a code", func() error { return invokeAgainst(t, bg, plain(408)) },
			jlrt.FailureUnavailable},
		{"400 without a code", func() error { return invokeAgainst(t, bg, plain(400)) },
			jlrt.FailurePermanent},
		{"404 ResourceNotFoundException", func() error {
			return invokeAgainst(t, bg, erroring(404, "ResourceNotFoundException"))
		}, jlrt.FailurePermanent},
		{"413 RequestTooLargeException", func() error {
			return invokeAgainst(t, bg, erroring(413, "RequestTooLargeException"))
		}, jlrt.FailurePermanent},
		{"connection refused", func() error {
			_, err := newLambdaClient(closedURL(t)).Invoke(bg, &lambda.InvokeInput{
				FunctionName: new("f")})
			return err
		}, jlrt.FailureNetwork},
		{"connection reset", func() error { return invokeAgainst(t, bg, reset) },
			jlrt.FailureNetwork},
		{"deadline", func() error { return invokeAgainst(t, short, hang) }, jlrt.FailureNetwork},
		{"canceled context", func() error { return invokeAgainst(t, canceled, ok) },
			jlrt.FailureCanceled},
		{"DNS failure", func() error {
			return &url.Error{Op: "Post", URL: "https://lambda.invalid",
				Err: &net.DNSError{Err: "no such host", Name: "lambda.invalid", IsNotFound: true}}
		}, jlrt.FailureNetwork},
		{"not an AWS error", func() error { return errors.New("bad input") }, jlrt.FailurePermanent},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.err()
			if (err == nil) != (c.want == jlrt.FailureNone) {
				t.Fatalf("the request's error is %v, want one of kind %v", err, c.want)
			}
			for _, e := range []error{err, wrap(err)} {
				if got := Classify(e); got != c.want {
					t.Errorf("Classify(%v) = %v, want %v", e, got, c.want)
				}
			}
			retryable := c.want == jlrt.FailureThrottled || c.want == jlrt.FailureUnavailable ||
				c.want == jlrt.FailureNetwork
			if got := Retryable(err); got != retryable {
				t.Errorf("Retryable(%v) = %v, want %v", err, got, retryable)
			}
		})
	}
}

// wrap wraps err as a shim does, or keeps nil.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("lambda invoke task:X: %w", err)
}

// TestClassifyAfterRetries checks that an error the SDK retried to
// exhaustion, wrapped in retry.MaxAttemptsError, is classified by its last
// answer.
func TestClassifyAfterRetries(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		lambdaError(w, http.StatusInternalServerError, "ServiceException", "down")
	}))
	defer srv.Close()
	client := lambda.New(lambda.Options{
		Region: "us-east-1", Credentials: testCredentials, BaseEndpoint: &srv.URL,
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 3
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) {
				return 0, nil
			})
		}),
	})
	_, err := client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: new("f")})
	var exhausted *retry.MaxAttemptsError
	if !errors.As(err, &exhausted) || n.Load() != 3 {
		t.Fatalf("after %d requests, error %v; want 3 and a MaxAttemptsError", n.Load(), err)
	}
	if got := Classify(err); got != jlrt.FailureUnavailable {
		t.Errorf("Classify(%v) = %v, want unavailable", err, got)
	}
}

// TestClassifySQSThrottle checks a throttle code of another service and
// protocol: SQS's JSON protocol, which names the error in "__type".
func TestClassifySQSThrottle(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"__type":"com.amazonaws.sqs#RequestThrottled","message":"slow"}`)
	}))
	defer srv.Close()
	client := sqs.New(sqs.Options{Region: "us-east-1", Credentials: testCredentials,
		BaseEndpoint: &srv.URL, RetryMaxAttempts: 1})
	_, err := client.SendMessage(context.Background(), &sqs.SendMessageInput{
		QueueUrl: new(testQueueURL), MessageBody: new("{}")})
	if got := Classify(err); got != jlrt.FailureThrottled {
		t.Errorf("Classify(%v) = %v, want throttled", err, got)
	}
}

// TestClassifyDynamoDB checks DynamoDB's codes, in its JSON protocol:
// throttling in its three names, a transaction's conflict (which a later
// try does not meet), and failures that every try meets.
func TestClassifyDynamoDB(t *testing.T) {
	cases := map[string]jlrt.Failure{
		"ThrottlingException":                    jlrt.FailureThrottled,
		"ProvisionedThroughputExceededException": jlrt.FailureThrottled,
		"RequestLimitExceeded":                   jlrt.FailureThrottled,
		"TransactionConflictException":           jlrt.FailureUnavailable,
		"ConditionalCheckFailedException":        jlrt.FailurePermanent,
		"ValidationException":                    jlrt.FailurePermanent,
	}
	for code, want := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/x-amz-json-1.0")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"com.amazonaws.dynamodb.v20120810#`+code+
				`","message":"for the test"}`)
		}))
		client := dynamodb.New(dynamodb.Options{Region: "us-east-1",
			Credentials: testCredentials, BaseEndpoint: &srv.URL, RetryMaxAttempts: 1})
		_, err := client.GetItem(context.Background(), &dynamodb.GetItemInput{
			TableName: new("t"), Key: itemKey("v:k")})
		srv.Close()
		if got := Classify(err); got != want {
			t.Errorf("Classify(%v) = %v, want %v", err, got, want)
		}
	}
}
