package aliyun

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"

	"github.com/jointlambda/jlgen/internal/grants"
	jlrt "github.com/jointlambda/jlgen/runtime"
)

// ossRequest is what fakeOSS saw of one request.
type ossRequest struct {
	method, path string
	header       http.Header
	body         []byte
}

// fakeOSS is an httptest handler that answers PutObject and GetObject as
// OSS does, and records the requests it gets. It is addressed path-style,
// as the SDK addresses a server at an IP address (OSS itself takes only
// bucket.endpoint hosts): reqs until
// take, all for good. nextPut, when not zero, is the status of the next
// PUT.
type fakeOSS struct {
	mu      sync.Mutex
	objects map[string][]byte
	reqs    []ossRequest
	all     []ossRequest
	nextPut int
}

func (f *fakeOSS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, ossRequest{r.Method, r.URL.Path, r.Header.Clone(), body})
	f.all = append(f.all, f.reqs[len(f.reqs)-1])
	switch r.Method {
	case http.MethodPut:
		if status := f.nextPut; status != 0 {
			f.nextPut = 0
			ossError(w, status, "InternalError")
			return
		}
		_, ok := f.objects[r.URL.Path]
		if ok && r.Header.Get("x-oss-forbid-overwrite") == "true" {
			ossError(w, http.StatusConflict, "FileAlreadyExists")
			return
		}
		f.objects[r.URL.Path] = body
		w.Header().Set("ETag", `"etag"`)
	case http.MethodGet:
		data, ok := f.objects[r.URL.Path]
		if !ok {
			ossError(w, http.StatusNotFound, "NoSuchKey")
			return
		}
		w.Write(data)
	default:
		ossError(w, http.StatusMethodNotAllowed, "MethodNotAllowed")
	}
}

// ossError answers with status and an OSS error document of code.
func ossError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("x-oss-request-id", "r1")
	w.WriteHeader(status)
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<Error><Code>"+code+
		"</Code><Message>"+code+"</Message><RequestId>r1</RequestId>"+
		"<HostId>localhost</HostId></Error>")
}

// take returns the requests so far and forgets them.
func (f *fakeOSS) take() []ossRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	reqs := f.reqs
	f.reqs = nil
	return reqs
}

// newOSSClient returns an OSS client that sends path-style requests to
// the test server at url, signed with a static key, without retries.
func newOSSClient(url string) *oss.Client {
	cfg := oss.LoadDefaultConfig().
		WithRegion("cn-hangzhou").
		WithEndpoint(url).
		WithUsePathStyle(true).
		WithRetryMaxAttempts(1).
		WithCredentialsProvider(credentials.NewStaticCredentialsProvider("jlgen", "jlgen"))
	return oss.NewClient(cfg)
}

// TestOSSBlobsRequestShape checks, against an httptest server rather than
// OSS (no OSS emulator is at hand), the requests OSSBlobs sends through
// the SDK and how it takes OSS's answers: a PUT of /bucket/key with
// x-oss-forbid-overwrite: true, a V4 signature and the blob as the body;
// a 409 FileAlreadyExists taken as "already there"; a GET of the same
// path; a 404 reported as no blob and a 500 reported as an error.
func TestOSSBlobsRequestShape(t *testing.T) {
	ctx := context.Background()
	fake := &fakeOSS{objects: map[string][]byte{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	b := NewOSSBlobs(newOSSClient(srv.URL), "bucket")
	const key = "wf/e1/Charge/0/input"
	data := []byte(`{"order": 7}`)

	if err := b.PutIfAbsent(ctx, key, data); err != nil {
		t.Fatalf("first PutIfAbsent: %v", err)
	}
	reqs := fake.take()
	if len(reqs) != 1 {
		t.Fatalf("first PutIfAbsent sent %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.method != http.MethodPut || r.path != "/bucket/"+key {
		t.Errorf("request %s %s, want PUT /bucket/%s", r.method, r.path, key)
	}
	if got := r.header.Get("x-oss-forbid-overwrite"); got != "true" {
		t.Errorf("x-oss-forbid-overwrite: %q, want true", got)
	}
	if auth := r.header.Get("Authorization"); !strings.HasPrefix(auth,
		"OSS4-HMAC-SHA256 Credential=jlgen/") {
		t.Errorf("Authorization: %q, want a V4 signature by the static key", auth)
	}
	if !bytes.Equal(r.body, data) {
		t.Errorf("body %q, want %q", r.body, data)
	}

	if err := b.PutIfAbsent(ctx, key, []byte("other")); err != nil {
		t.Errorf("PutIfAbsent of a key that exists (409) = %v, want nil", err)
	}
	if n := len(fake.take()); n != 1 {
		t.Errorf("PutIfAbsent of a key that exists sent %d requests, want 1", n)
	}
	got, err := b.Get(ctx, key)
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("Get = %q %v, want the first write %q", got, err, data)
	}
	reqs = fake.take()
	if len(reqs) != 1 || reqs[0].method != http.MethodGet || reqs[0].path != "/bucket/"+key {
		t.Errorf("Get sent %v, want one GET /bucket/%s", reqs, key)
	}
	if _, err := b.Get(ctx, "missing"); err == nil || !strings.Contains(err.Error(), "no blob") {
		t.Errorf("Get of a missing key = %v, want a no-blob error", err)
	}

	// The requests are the actions the deployment files tell the user to
	// grant the functions on the bucket's objects, and no others.
	var actions []string
	for _, r := range fake.all {
		action := "oss:" + r.method + " " + r.path
		if strings.HasPrefix(r.path, "/bucket/") {
			action = map[string]string{http.MethodPut: "oss:PutObject",
				http.MethodGet: "oss:GetObject"}[r.method]
		}
		if !slices.Contains(actions, action) {
			actions = append(actions, action)
		}
	}
	if want := grants.OSS; !slices.Equal(slices.Sorted(slices.Values(actions)),
		slices.Sorted(slices.Values(want))) {
		t.Errorf("the blobs called %v, and the deployment files grant %v", actions, want)
	}

	fake.nextPut = http.StatusInternalServerError
	err = b.PutIfAbsent(ctx, "fails", data)
	if err == nil || Classify(err) != jlrt.FailureUnavailable {
		t.Errorf("PutIfAbsent answered 500 = %v, want an error classified unavailable", err)
	}
}
