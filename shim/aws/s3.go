package aws

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/jointlambda/jlgen/internal/pause"
	jlrt "github.com/jointlambda/jlgen/runtime"
)

// S3Blobs is the protocol's blob store on one S3 bucket, for payloads too
// large to travel inline in an invocation. A blob is the object whose key
// is the blob's key, written once: PutIfAbsent is a conditional PutObject
// (If-None-Match: *), so duplicates of one function instance that race to
// write the same blob leave the first one in place. It keeps no state of
// its own, so one S3Blobs serves any number of goroutines.
//
// Costs: PutIfAbsent is one PUT request and one round trip when it
// writes; one that finds the key taken (S3 answers 412 Precondition
// Failed) makes a HEAD request more, which confirms that the blob can be
// read. Get is one GET request and one round trip. Expire blobs with a
// lifecycle rule on the bucket, no shorter than the workflow's TTL.
type S3Blobs struct {
	client *s3.Client
	bucket string
}

var _ jlrt.Blobs = (*S3Blobs)(nil)

// NewS3Blobs returns a blob store that keeps its blobs in bucket through
// client.
func NewS3Blobs(client *s3.Client, bucket string) *S3Blobs {
	return &S3Blobs{client: client, bucket: bucket}
}

// s3Attempts bounds how often PutIfAbsent writes again: after a conflict
// with a concurrent conditional write, or when the key was reported taken
// but holds no blob yet. It pauses s3Pause before the second attempt, and
// twice as long before each further one.
const (
	s3Attempts = 8
	s3Pause    = 10 * time.Millisecond
)

// PutIfAbsent writes data under key unless the key exists, and returns
// once the key holds a blob that Get reads. A key that exists is no
// error: the runtime names a blob after the function instance whose input
// it holds, and every duplicate of that instance writes the same input.
func (b *S3Blobs) PutIfAbsent(ctx context.Context, key string, data []byte) error {
	wait := s3Pause
	for attempt := 1; ; attempt++ {
		_, err := b.client.PutObject(ctx, &s3.PutObjectInput{
			Bucket:        &b.bucket,
			Key:           &key,
			Body:          bytes.NewReader(data),
			ContentLength: new(int64(len(data))),
			IfNoneMatch:   new("*"),
		})
		switch statusOf(err) {
		case 0:
			return nil
		case http.StatusPreconditionFailed:
			// S3 answers so once the first write is complete, but a
			// server may while that write is still in flight, and it may
			// yet fail: the blob must be there to be read.
			there, err := b.exists(ctx, key)
			if err != nil || there {
				return err
			}
		case http.StatusConflict:
			// A concurrent conditional write to the key is in flight; S3
			// asks to try again, which then finds the key taken or free.
		default:
			return fmt.Errorf("s3 put-if-absent %s/%s: %w", b.bucket, key, err)
		}
		if attempt == s3Attempts {
			return fmt.Errorf("s3 put-if-absent %s/%s: after %d writes the key is taken "+
				"by a write still in flight", b.bucket, key, attempt)
		}
		if err := pause.For(ctx, wait); err != nil {
			return fmt.Errorf("s3 put-if-absent %s/%s: %w", b.bucket, key, err)
		}
		wait *= 2
	}
}

// exists reports whether key holds a blob, with a HEAD request.
func (b *S3Blobs) exists(ctx context.Context, key string) (bool, error) {
	_, err := b.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &b.bucket, Key: &key})
	switch statusOf(err) {
	case 0:
		return true, nil
	case http.StatusNotFound:
		return false, nil
	}
	return false, fmt.Errorf("s3 put-if-absent %s/%s: read the blob written first: %w",
		b.bucket, key, err)
}

// Get returns the blob key.
func (b *S3Blobs) Get(ctx context.Context, key string) ([]byte, error) {
	out, err := b.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &b.bucket, Key: &key})
	var missing *s3types.NoSuchKey
	if errors.As(err, &missing) {
		return nil, fmt.Errorf("s3 get %s/%s: no blob: %w", b.bucket, key, err)
	}
	if err != nil {
		return nil, fmt.Errorf("s3 get %s/%s: %w", b.bucket, key, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, fmt.Errorf("s3 get %s/%s: read the body: %w", b.bucket, key, err)
	}
	return data, nil
}

// statusOf returns the HTTP status of the response that err reports, 0
// for no error, and -1 for an error without a response.
func statusOf(err error) int {
	if err == nil {
		return 0
	}
	// The SDK reports a request that got no answer (refused, reset, timed
	// out) as a response error with status 0.
	var resp interface{ HTTPStatusCode() int }
	if errors.As(err, &resp) && resp.HTTPStatusCode() > 0 {
		return resp.HTTPStatusCode()
	}
	return -1
}
