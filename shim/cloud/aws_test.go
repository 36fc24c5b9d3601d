package cloud

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestAWSInvokerGivesUpOnSilence checks that an aws cloud's invoker, and
// its delay queue, give up on an endpoint that takes requests and never
// answers within their tries' bound, with a retryable error, so that the
// runtime fails over while the calling function still has time to.
func TestAWSInvokerGivesUpOnSilence(t *testing.T) {
	var requests atomic.Int32
	quit := make(chan struct{})
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		requests.Add(1)
		select {
		case <-r.Context().Done():
		case <-quit:
		}
	}))
	defer silent.Close()
	defer close(quit)
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	t.Setenv("AWS_ACCESS_KEY_ID", "jlgen")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "jlgen")
	t.Setenv("AWS_ENDPOINT_URL_SQS", silent.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()

	env := map[string]string{"JLGEN_AWS_INVOKER_ENDPOINT": silent.URL,
		"JLGEN_DELAY_QUEUE": silent.URL + "/123456789012/delays"}
	get := func(k string) string { return env[k] }
	a, err := newAWSClients(ctx, get)
	if err != nil {
		t.Fatal(err)
	}
	if a.attemptTimeout != invokeAttemptTimeout {
		t.Errorf("attempt timeout %v, want %v", a.attemptTimeout, invokeAttemptTimeout)
	}
	a.attemptTimeout = 200 * time.Millisecond
	cfg := mustParse(t, twoClouds)
	s := settingsOf("aws", cfg.Clouds["aws"], Function{Cloud: "aws", Prefix: "wf"}, get)
	c, _, err := a.cloud(ctx, s)
	if err != nil {
		t.Fatal(err)
	}

	sends := []struct {
		name  string
		send  func() error
		tries int32
	}{
		{"Invoke", func() error { return c.Invoker.Invoke(ctx, "task:X", []byte(`{}`)) },
			invokeAttempts},
		{"InvokeAfter by the queue", func() error {
			return c.Invoker.InvokeAfter(ctx, "task:X", []byte(`{}`), time.Minute)
		}, 3},
	}
	for _, tc := range sends {
		name, send := tc.name, tc.send
		requests.Store(0)
		start := time.Now()
		err := send()
		elapsed := time.Since(start)
		if err == nil || !c.Retryable(err) {
			t.Errorf("%s to a silent endpoint = %v, want a retryable error", name, err)
		}
		if elapsed > 3*time.Second {
			t.Errorf("%s to a silent endpoint took %v, want it bounded by its tries", name,
				elapsed)
		}
		if n := requests.Load(); n != tc.tries {
			t.Errorf("%s made %d tries, want %d", name, n, tc.tries)
		}
	}
}
