package aliyun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// ossObjectExists is the error code OSS answers, with 409 Conflict, to a
// PutObject with x-oss-forbid-overwrite: true of a key that exists.
const ossObjectExists = "FileAlreadyExists"

// OSSBlobs is the protocol's blob store on one OSS bucket, for payloads too
// large to travel inline in an invocation. A blob is the object whose key
// is the blob's key, written once: PutIfAbsent is a PutObject with
// x-oss-forbid-overwrite: true, so duplicates of one function instance
// that race to write the same blob leave the first one in place. It keeps
// no state of its own, so one OSSBlobs serves any number of goroutines.
//
// The bucket must not have versioning enabled or suspended: OSS ignores
// x-oss-forbid-overwrite on such a bucket, and a later duplicate would
// replace the blob with the same bytes as a new version.
//
// Costs: PutIfAbsent is one PUT request and one round trip, whether it
// writes or finds the key taken (OSS answers 409 FileAlreadyExists); Get
// is one GET request and one round trip. Expire blobs with a lifecycle
// rule on the bucket, no shorter than the workflow's TTL.
type OSSBlobs struct {
	client *oss.Client
	bucket string
}

var _ jlrt.Blobs = (*OSSBlobs)(nil)

// NewOSSBlobs returns a blob store that keeps its blobs in bucket through
// client.
func NewOSSBlobs(client *oss.Client, bucket string) *OSSBlobs {
	return &OSSBlobs{client: client, bucket: bucket}
}

// PutIfAbsent writes data under key unless the key exists. A key that
// exists is no error: the runtime names a blob after the function instance
// whose input it holds, and every duplicate of that instance writes the
// same input.
func (b *OSSBlobs) PutIfAbsent(ctx context.Context, key string, data []byte) error {
	_, err := b.client.PutObject(ctx, &oss.PutObjectRequest{
		Bucket:          &b.bucket,
		Key:             &key,
		Body:            bytes.NewReader(data),
		ContentLength:   oss.Ptr(int64(len(data))),
		ForbidOverwrite: oss.Ptr("true"),
	})
	var svc *oss.ServiceError
	if errors.As(err, &svc) && svc.StatusCode == http.StatusConflict &&
		svc.Code == ossObjectExists {
		return nil
	}
	if err != nil {
		return fmt.Errorf("oss put-if-absent %s/%s: %w", b.bucket, key, err)
	}
	return nil
}

// Get returns the blob key.
func (b *OSSBlobs) Get(ctx context.Context, key string) ([]byte, error) {
	out, err := b.client.GetObject(ctx, &oss.GetObjectRequest{Bucket: &b.bucket, Key: &key})
	var svc *oss.ServiceError
	if errors.As(err, &svc) && svc.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("oss get %s/%s: no blob: %w", b.bucket, key, err)
	}
	if err != nil {
		return nil, fmt.Errorf("oss get %s/%s: %w", b.bucket, key, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, fmt.Errorf("oss get %s/%s: read the body: %w", b.bucket, key, err)
	}
	return data, nil
}
