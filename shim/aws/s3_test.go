package aws

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// fakeS3 is an httptest handler that answers PutObject, HeadObject and
// GetObject as S3 does, path-style, and records the requests it gets. The
// conditional write's answer is set per call: nextPut, when not zero, is
// the status of the next PUT; inFlight, when not zero, is how many
// conditional PUTs to answer 412 while the key holds nothing yet, as a
// server does whose first write is still in flight.
type fakeS3 struct {
	mu       sync.Mutex
	objects  map[string][]byte
	reqs     []*http.Request
	nextPut  int
	inFlight int
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, r)
	switch r.Method {
	case http.MethodPut:
		if status := f.nextPut; status != 0 {
			f.nextPut = 0
			s3Error(w, status, map[int]string{http.StatusConflict: "ConditionalRequestConflict",
				http.StatusInternalServerError: "InternalError"}[status])
			return
		}
		_, ok := f.objects[r.URL.Path]
		if !ok && f.inFlight > 0 {
			f.inFlight--
			ok = true
		}
		if ok && r.Header.Get("If-None-Match") == "*" {
			s3Error(w, http.StatusPreconditionFailed, "PreconditionFailed")
			return
		}
		f.objects[r.URL.Path] = body
		w.Header().Set("ETag", `"etag"`)
	case http.MethodHead:
		if _, ok := f.objects[r.URL.Path]; !ok {
			w.WriteHeader(http.StatusNotFound)
		}
	case http.MethodGet:
		data, ok := f.objects[r.URL.Path]
		if !ok {
			s3Error(w, http.StatusNotFound, "NoSuchKey")
			return
		}
		w.Write(data)
	default:
		s3Error(w, http.StatusMethodNotAllowed, "MethodNotAllowed")
	}
}

// s3Error answers with status and an S3 error document of code.
func s3Error(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<Error><Code>"+code+
		"</Code><Message>"+code+"</Message><RequestId>r1</RequestId></Error>")
}

// takeRequests returns the requests so far and forgets them.
func (f *fakeS3) takeRequests() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	reqs := f.reqs
	f.reqs = nil
	return reqs
}

// TestS3BlobsRequestShape checks, against an httptest server rather than
// S3 (no S3 emulator is at hand), the requests S3Blobs sends through the
// SDK and how it takes S3's answers: a conditional PUT of /bucket/key with
// If-None-Match: * and a SigV4 signature, a 412 taken as "already there"
// once a HEAD finds the blob, and written again while it does not, a 409
// retried, and any other failure reported.
func TestS3BlobsRequestShape(t *testing.T) {
	ctx := context.Background()
	fake := &fakeS3{objects: map[string][]byte{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	client := s3.New(s3.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("jlgen", "jlgen", ""),
		BaseEndpoint:     &srv.URL,
		UsePathStyle:     true,
		RetryMaxAttempts: 1,
	})
	b := NewS3Blobs(client, "bucket")
	const key = "arn:aws:states:us-east-1:1:execution:wf:e1/Charge/0/input"
	data := []byte(`{"order": 7}`)

	if err := b.PutIfAbsent(ctx, key, data); err != nil {
		t.Fatalf("first PutIfAbsent: %v", err)
	}
	reqs := fake.takeRequests()
	if len(reqs) != 1 {
		t.Fatalf("first PutIfAbsent sent %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPut || r.URL.Path != "/bucket/"+key {
		t.Errorf("request %s %s, want PUT /bucket/%s", r.Method, r.URL.Path, key)
	}
	if got := r.Header.Get("If-None-Match"); got != "*" {
		t.Errorf("If-None-Match: %q, want *", got)
	}
	if auth := r.Header.Get("Authorization"); !strings.HasPrefix(auth,
		"AWS4-HMAC-SHA256 Credential=jlgen/") {
		t.Errorf("Authorization: %q, want a SigV4 signature by the static key", auth)
	}

	if err := b.PutIfAbsent(ctx, key, []byte("other")); err != nil {
		t.Errorf("PutIfAbsent of a key that exists (412) = %v, want nil", err)
	}
	if got := methods(fake.takeRequests()); got != "PUT HEAD" {
		t.Errorf("PutIfAbsent of a key that exists sent %s, want PUT HEAD", got)
	}
	got, err := b.Get(ctx, key)
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("Get = %q %v, want the first write %q", got, err, data)
	}
	if r := fake.takeRequests()[0]; r.Method != http.MethodGet || r.URL.Path != "/bucket/"+key {
		t.Errorf("Get sent %s %s, want GET /bucket/%s", r.Method, r.URL.Path, key)
	}
	if _, err := b.Get(ctx, "missing"); err == nil || !strings.Contains(err.Error(), "no blob") {
		t.Errorf("Get of a missing key = %v, want a no-blob error", err)
	}
	fake.takeRequests()

	fake.nextPut = http.StatusConflict
	if err := b.PutIfAbsent(ctx, "conflict", data); err != nil {
		t.Errorf("PutIfAbsent after a 409 = %v, want it retried and written", err)
	}
	if n := len(fake.takeRequests()); n != 2 {
		t.Errorf("PutIfAbsent after a 409 sent %d requests, want 2", n)
	}
	// A 412 while the first write is in flight: the key holds nothing yet,
	// and the write goes again until it finds the blob or writes it.
	fake.inFlight = 2
	if err := b.PutIfAbsent(ctx, "in-flight", data); err != nil {
		t.Errorf("PutIfAbsent after a 412 of a write in flight = %v, want it written", err)
	}
	if got := methods(fake.takeRequests()); got != "PUT HEAD PUT HEAD PUT" {
		t.Errorf("PutIfAbsent after two 412s of a write in flight sent %s, "+
			"want PUT HEAD PUT HEAD PUT", got)
	}
	if got, err := b.Get(ctx, "in-flight"); err != nil || !bytes.Equal(got, data) {
		t.Errorf("Get after a 412 of a write in flight = %q %v, want %q", got, err, data)
	}
	fake.inFlight = 1 << 30
	if err := b.PutIfAbsent(ctx, "never", data); err == nil ||
		!strings.Contains(err.Error(), "in flight") {
		t.Errorf("PutIfAbsent of a key taken by a write that never lands = %v, "+
			"want an error that says so", err)
	}
	fake.inFlight = 0
	fake.nextPut = http.StatusInternalServerError
	if err := b.PutIfAbsent(ctx, "fails", data); err == nil {
		t.Error("PutIfAbsent answered 500 = nil, want an error")
	}
}

// methods lists the methods of reqs, space-separated.
func methods(reqs []*http.Request) string {
	var m []string
	for _, r := range reqs {
		m = append(m, r.Method)
	}
	return strings.Join(m, " ")
}
