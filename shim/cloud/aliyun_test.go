package cloud

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"

	aliyunshim "github.com/jointlambda/jlgen/shim/aliyun"
)

// ossRequests is an http.RoundTripper that answers every request 200 and
// records the host and path it was sent to.
type ossRequests struct {
	mu   sync.Mutex
	seen []string
}

func (o *ossRequests) RoundTrip(r *http.Request) (*http.Response, error) {
	o.mu.Lock()
	o.seen = append(o.seen, r.URL.Host+r.URL.Path)
	o.mu.Unlock()
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{
		"X-Oss-Request-Id": {"r1"}}, Body: io.NopCloser(bytes.NewReader(nil)),
		Request: r}, nil
}

// TestOSSAddressing checks where the OSS client of an aliyun cloud sends
// a blob: to bucket.endpoint, the only form OSS accepts, both for the
// region's endpoint and for one given, such as the internal endpoint; in
// the path only for an endpoint that is an IP address.
func TestOSSAddressing(t *testing.T) {
	a := &aliyunClients{keyID: "AK", secret: "SK"}
	for _, tc := range []struct{ endpoint, want string }{
		{"", "blobs.oss-cn-hangzhou.aliyuncs.com/wf/k"},
		{"https://oss-cn-hangzhou-internal.aliyuncs.com",
			"blobs.oss-cn-hangzhou-internal.aliyuncs.com/wf/k"},
		{"oss-cn-hangzhou-internal.aliyuncs.com",
			"blobs.oss-cn-hangzhou-internal.aliyuncs.com/wf/k"},
		{"http://127.0.0.1:9", "127.0.0.1:9/blobs/wf/k"},
	} {
		rt := &ossRequests{}
		cfg := a.ossConfig("cn-hangzhou", tc.endpoint).
			WithHttpClient(&http.Client{Transport: rt})
		blobs := aliyunshim.NewOSSBlobs(oss.NewClient(cfg), "blobs")
		if err := blobs.PutIfAbsent(context.Background(), "wf/k", []byte("v")); err != nil {
			t.Errorf("endpoint %q: PutIfAbsent: %v", tc.endpoint, err)
			continue
		}
		if len(rt.seen) != 1 || rt.seen[0] != tc.want {
			t.Errorf("endpoint %q: requests went to %v, want %s", tc.endpoint, rt.seen, tc.want)
		}
	}
}

// TestOSSEndpointOverride checks that an aliyun cloud's blobs go to the
// endpoint its environment names, addressed as OSS takes them: a local
// server at an IP address sees the bucket in the path.
func TestOSSEndpointOverride(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.Method+" "+r.Host+r.URL.Path)
		mu.Unlock()
		w.Header().Set("x-oss-request-id", "r1")
	}))
	defer srv.Close()
	env := map[string]string{"FC_REGION": "cn-hangzhou", "FC_ACCOUNT_ID": "123",
		"ALIBABA_CLOUD_ACCESS_KEY_ID": "AK", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "SK",
		"JLGEN_ALIYUN_BLOBS_ENDPOINT": srv.URL, "JLGEN_OSS_BUCKET": "blobs"}
	b, err := New(context.Background(), Function{Cloud: "aliyun", Prefix: "wf",
		Config: twoClouds}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("New(aliyun): %v", err)
	}
	blobs := b.Platform.Clouds["aliyun"].Blobs
	if err := blobs.PutIfAbsent(context.Background(), "wf/k", []byte("v")); err != nil {
		t.Fatalf("PutIfAbsent: %v", err)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	if want := "PUT " + host + "/blobs/wf/k"; len(paths) != 1 || paths[0] != want {
		t.Errorf("requests %v, want %s", paths, want)
	}
}
