package aws

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/jointlambda/jlgen/internal/grants"
)

// The tests in this file run S3Blobs against versitygw, a real S3 server
// that .ci/services.sh starts, through the SDK's S3 client with SigV4
// signatures by the server's root key pair.

// s3Server is the S3 server the integration tests use: its endpoint and
// root key pair.
type s3Server struct {
	endpoint, access, secret string
}

// testS3Server returns the S3 server at JLGEN_S3_ENDPOINT with the key pair
// in JLGEN_S3_ACCESS_KEY and JLGEN_S3_SECRET_KEY, and skips the test when
// the endpoint is not set.
func testS3Server(t *testing.T) s3Server {
	t.Helper()
	srv := s3Server{
		endpoint: os.Getenv("JLGEN_S3_ENDPOINT"),
		access:   os.Getenv("JLGEN_S3_ACCESS_KEY"),
		secret:   os.Getenv("JLGEN_S3_SECRET_KEY"),
	}
	if srv.endpoint == "" {
		t.Skip("JLGEN_S3_ENDPOINT is not set: .ci/run starts versitygw " +
			"(source .ci/services.sh) and sets it")
	}
	if srv.access == "" || srv.secret == "" {
		t.Fatal("JLGEN_S3_ENDPOINT is set but JLGEN_S3_ACCESS_KEY or " +
			"JLGEN_S3_SECRET_KEY is not: source .ci/services.sh sets all three")
	}
	return srv
}

// client returns an S3 client of srv that signs with the key pair access
// and secret, path-style, in us-east-1.
func (srv s3Server) client(access, secret string) *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(access, secret, ""),
		BaseEndpoint: &srv.endpoint,
		UsePathStyle: true,
	})
}

var (
	notInBucketName = regexp.MustCompile(`[^a-z0-9]+`)
	bucketSeq       atomic.Int64
)

// testBucket creates, through c, a bucket that no other test or run uses,
// and empties and deletes it when the test ends.
func testBucket(t *testing.T, c *s3.Client) string {
	t.Helper()
	ctx := context.Background()
	slug := strings.Trim(notInBucketName.ReplaceAllString(strings.ToLower(t.Name()), "-"), "-")
	suffix := "-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "-" +
		strconv.FormatInt(bucketSeq.Add(1), 36)
	if room := 63 - len("jlgen-") - len(suffix); len(slug) > room {
		slug = strings.TrimRight(slug[:room], "-")
	}
	bucket := "jlgen-" + slug + suffix
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		t.Fatalf("create bucket %s: %v", bucket, err)
	}
	t.Cleanup(func() {
		p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: &bucket})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Logf("list bucket %s to empty it: %v", bucket, err)
				return
			}
			for _, obj := range page.Contents {
				c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &bucket, Key: obj.Key})
			}
		}
		if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: &bucket}); err != nil {
			t.Logf("delete bucket %s: %v", bucket, err)
		}
	})
	return bucket
}

// blobRun is an S3Blobs on a fresh bucket of the test's S3 server, with
// the count of its calls that behaved as the test expected, which it logs
// when the test ends.
type blobRun struct {
	t      *testing.T
	srv    s3Server
	client *s3.Client
	bucket string
	blobs  *S3Blobs
	ok     atomic.Int64
}

func newBlobRun(t *testing.T) *blobRun {
	t.Helper()
	srv := testS3Server(t)
	c := srv.client(srv.access, srv.secret)
	r := &blobRun{t: t, srv: srv, client: c, bucket: testBucket(t, c)}
	r.blobs = NewS3Blobs(c, r.bucket)
	t.Cleanup(func() {
		t.Logf("%d S3Blobs calls behaved as expected against versitygw at %s, bucket %s",
			r.ok.Load(), srv.endpoint, r.bucket)
	})
	return r
}

// put calls PutIfAbsent and reports an error as a test failure.
func (r *blobRun) put(key string, data []byte) bool {
	if err := r.blobs.PutIfAbsent(context.Background(), key, data); err != nil {
		r.t.Errorf("PutIfAbsent(%q, %d bytes) = %v, want nil", key, len(data), err)
		return false
	}
	r.ok.Add(1)
	return true
}

// get calls Get and reports an error, or data other than want, as a test
// failure.
func (r *blobRun) get(key string, want []byte) bool {
	got, err := r.blobs.Get(context.Background(), key)
	if err != nil {
		r.t.Errorf("Get(%q) = %v, want %s", key, err, describe(want))
		return false
	}
	if !bytes.Equal(got, want) {
		r.t.Errorf("Get(%q) = %s, want %s", key, describe(got), describe(want))
		return false
	}
	r.ok.Add(1)
	return true
}

// describe shows data briefly: its length and its first bytes.
func describe(data []byte) string {
	if len(data) <= 24 {
		return fmt.Sprintf("%d bytes %q", len(data), data)
	}
	return fmt.Sprintf("%d bytes %q...", len(data), data[:24])
}

// randomBytes returns n pseudo-random bytes drawn from seed.
func randomBytes(seed byte, n int) []byte {
	data := make([]byte, n)
	rand.NewChaCha8([32]byte{seed}).Read(data)
	return data
}

// blobKey is a key as the runtime names a blob: after the function
// instance whose input it holds, with colons and slashes.
func blobKey(name string) string {
	return "arn:aws:states:us-east-1:1:execution:wf:e1/" + name + "/0/input"
}

// TestS3BlobsVersityGWRoundTrip checks that what PutIfAbsent writes, Get
// reads back byte for byte: nothing, text, every byte value, and 2 MiB of
// random bytes.
func TestS3BlobsVersityGWRoundTrip(t *testing.T) {
	r := newBlobRun(t)
	every := make([]byte, 256)
	for i := range every {
		every[i] = byte(i)
	}
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"empty", []byte{}},
		{"json", []byte(`{"order": 7, "note": "ünïcode"}`)},
		{"every-byte", every},
		{"two-mib", randomBytes(1, 2<<20+17)},
	} {
		key := blobKey(c.name)
		if r.put(key, c.data) {
			r.get(key, c.data)
		}
	}
}

// TestS3BlobsVersityGWKeepsFirst checks that a second PutIfAbsent of a key
// leaves the first data: versitygw answers its conditional PUT 412, which
// S3Blobs takes as success. An unconditional PUT afterwards does replace
// the object, so the check would see a replacement.
func TestS3BlobsVersityGWKeepsFirst(t *testing.T) {
	r := newBlobRun(t)
	ctx := context.Background()
	key := blobKey("Charge")
	first, second := []byte("first input"), []byte("second input, longer")
	if !r.put(key, first) || !r.put(key, second) {
		return
	}
	r.get(key, first)

	_, err := r.client.PutObject(ctx, &s3.PutObjectInput{Bucket: &r.bucket, Key: &key,
		Body: bytes.NewReader(second), IfNoneMatch: new("*")})
	var api smithy.APIError
	if statusOf(err) != http.StatusPreconditionFailed || !errors.As(err, &api) ||
		api.ErrorCode() != "PreconditionFailed" {
		t.Errorf("PutObject with If-None-Match: * of a key that exists = %v, "+
			"want 412 PreconditionFailed", err)
	}
	r.get(key, first)

	third := []byte("unconditional")
	if _, err := r.client.PutObject(ctx, &s3.PutObjectInput{Bucket: &r.bucket, Key: &key,
		Body: bytes.NewReader(third)}); err != nil {
		t.Fatalf("unconditional PutObject: %v", err)
	}
	r.get(key, third)
}

// TestS3BlobsVersityGWRace checks duplicates of one function instance that
// race to write its input: 16 goroutines call PutIfAbsent on one key at
// once, each with other data. Every call must return nil, and every Get,
// both right after a goroutine's own write and after all of them, must
// return the same one of the 16 payloads.
func TestS3BlobsVersityGWRace(t *testing.T) {
	const writers, rounds = 16, 3
	r := newBlobRun(t)
	for round := range rounds {
		key := blobKey("Race" + strconv.Itoa(round))
		payloads := make([][]byte, writers)
		for i := range payloads {
			payloads[i] = append([]byte(fmt.Sprintf("writer %02d of round %d:", i, round)),
				randomBytes(byte(round*writers+i), 64<<10)...)
		}
		seen := make([][]byte, writers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range writers {
			wg.Go(func() {
				<-start
				if err := r.blobs.PutIfAbsent(context.Background(), key, payloads[i]); err != nil {
					t.Errorf("round %d: writer %d: PutIfAbsent = %v, want nil", round, i, err)
					return
				}
				r.ok.Add(1)
				got, err := r.blobs.Get(context.Background(), key)
				if err != nil {
					t.Errorf("round %d: writer %d: Get after PutIfAbsent = %v", round, i, err)
					return
				}
				r.ok.Add(1)
				seen[i] = got
			})
		}
		close(start)
		wg.Wait()
		if t.Failed() {
			return
		}

		winner := -1
		for i, p := range payloads {
			if bytes.Equal(seen[0], p) {
				winner = i
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: Get = %s, none of the payloads written", round, describe(seen[0]))
		}
		for i, got := range seen {
			if !bytes.Equal(got, payloads[winner]) {
				t.Errorf("round %d: writer %d read %s after its PutIfAbsent, writer 0 read "+
					"writer %d's %s: more than one write survived", round, i, describe(got),
					winner, describe(payloads[winner]))
			}
		}
		r.get(key, payloads[winner])
		t.Logf("round %d: writer %d's payload won the race of %d writers", round, winner, writers)
	}
}

// TestS3BlobsVersityGWMissing checks that Get of a key nobody wrote fails
// with an error that callers can tell apart: it wraps the SDK's NoSuchKey
// and says "no blob". A bucket that does not exist is another error.
func TestS3BlobsVersityGWMissing(t *testing.T) {
	r := newBlobRun(t)
	ctx := context.Background()
	r.put(blobKey("Other"), []byte("not this one"))

	data, err := r.blobs.Get(ctx, blobKey("Missing"))
	var missing *s3types.NoSuchKey
	switch {
	case err == nil:
		t.Errorf("Get of a missing key = %s, nil; want an error", describe(data))
	case !errors.As(err, &missing):
		t.Errorf("Get of a missing key = %v, want it to wrap *types.NoSuchKey", err)
	case !strings.Contains(err.Error(), "no blob"):
		t.Errorf("Get of a missing key = %v, want it to say no blob", err)
	default:
		r.ok.Add(1)
	}

	gone := NewS3Blobs(r.client, r.bucket+"-absent")
	_, err = gone.Get(ctx, blobKey("Other"))
	if err == nil || errors.As(err, &missing) || strings.Contains(err.Error(), "no blob") {
		t.Errorf("Get from a bucket that does not exist = %v, want an error other "+
			"than no blob", err)
	} else {
		r.ok.Add(1)
	}
}

// TestVersityGWChecksSignatures checks that versitygw checks the requests'
// signatures, so that the other tests' SigV4 requests prove something: a
// wrong secret key and an unknown access key are refused, for writes and
// reads, write nothing, and do not pass for a missing blob.
func TestVersityGWChecksSignatures(t *testing.T) {
	r := newBlobRun(t)
	ctx := context.Background()
	key := blobKey("Signed")
	if !r.put(key, []byte("signed right")) {
		return
	}
	for _, c := range []struct {
		name, access, secret string
		// refusals are the answers that refuse the request, status by
		// error code.
		refusals map[string]int
	}{
		{"wrong secret", r.srv.access, r.srv.secret + "x",
			map[string]int{"SignatureDoesNotMatch": http.StatusForbidden}},
		// AWS answers 403 InvalidAccessKeyId; versitygw without an IAM
		// service (single-account mode) answers 404 XAdminUserNotFound.
		{"unknown access key", r.srv.access + "x", r.srv.secret,
			map[string]int{"InvalidAccessKeyId": http.StatusForbidden,
				"XAdminUserNotFound": http.StatusNotFound}},
	} {
		bad := NewS3Blobs(r.srv.client(c.access, c.secret), r.bucket)
		refused := func(op string, err error) {
			var api smithy.APIError
			if !errors.As(err, &api) || c.refusals[api.ErrorCode()] == 0 ||
				statusOf(err) != c.refusals[api.ErrorCode()] {
				t.Errorf("%s with a %s = %v, want one of (code: status) %v", op, c.name,
					err, c.refusals)
				return
			}
			if errors.As(err, new(*s3types.NoSuchKey)) || strings.Contains(err.Error(), "no blob") {
				t.Errorf("%s with a %s = %v, which passes for a missing blob", op, c.name, err)
				return
			}
			r.ok.Add(1)
		}
		unsigned := blobKey("Unsigned")
		refused("PutIfAbsent", bad.PutIfAbsent(ctx, unsigned, []byte("forged")))
		data, err := bad.Get(ctx, key)
		if err == nil {
			t.Errorf("Get with a %s = %s, want it refused", c.name, describe(data))
		} else {
			refused("Get", err)
		}
		if _, err := r.blobs.Get(ctx, unsigned); err == nil {
			t.Errorf("PutIfAbsent with a %s wrote the blob", c.name)
		} else if !errors.As(err, new(*s3types.NoSuchKey)) {
			t.Errorf("Get of the refused blob = %v, want no blob", err)
		} else {
			r.ok.Add(1)
		}
	}
	r.get(key, []byte("signed right"))
}

// s3ActionTransport records the S3 actions of the requests it carries, as
// IAM names them: the operation the SDK names in the query parameter x-id;
// s3:GetObject for a HEAD, which IAM authorizes as a read of the object;
// or else the method and path, which no grant matches.
type s3ActionTransport struct {
	mu      sync.Mutex
	actions map[string]bool
}

func (a *s3ActionTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	action := "s3:" + r.Method + " " + r.URL.Path
	if op := r.URL.Query().Get("x-id"); op != "" {
		action = "s3:" + op
	} else if r.Method == http.MethodHead {
		action = "s3:GetObject"
	}
	a.mu.Lock()
	a.actions[action] = true
	a.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// TestS3BlobsActions checks that S3Blobs calls exactly the actions that
// the SAM template grants its functions on the bucket's objects
// (grants.S3): writes, a write of a key that exists, reads and a read of
// a missing key.
func TestS3BlobsActions(t *testing.T) {
	r := newBlobRun(t)
	at := &s3ActionTransport{actions: map[string]bool{}}
	c := s3.New(s3.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(r.srv.access, r.srv.secret, ""),
		BaseEndpoint: &r.srv.endpoint,
		UsePathStyle: true,
		HTTPClient:   &http.Client{Transport: at},
	})
	r.blobs = NewS3Blobs(c, r.bucket)
	key := blobKey("actions")
	if r.put(key, []byte("first")) && r.put(key, []byte("second")) {
		r.get(key, []byte("first"))
	}
	if _, err := r.blobs.Get(context.Background(), blobKey("missing")); err == nil {
		t.Error("Get of a missing key succeeded")
	}
	got := slices.Sorted(maps.Keys(at.actions))
	want := slices.Sorted(slices.Values(grants.S3))
	if !slices.Equal(got, want) {
		t.Errorf("the blobs called %v, and the deployment files grant %v", got, want)
	}
}
