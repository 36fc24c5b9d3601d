package cloud

import (
	"context"
	"fmt"
	"io"
	"net/http"

	goredis "github.com/redis/go-redis/v9"

	jlrt "github.com/jointlambda/jlgen/runtime"
	aliyunshim "github.com/jointlambda/jlgen/shim/aliyun"
	awsshim "github.com/jointlambda/jlgen/shim/aws"
	"github.com/jointlambda/jlgen/shim/redis"
)

// maxEvent bounds the event a Function Compute function reads: the
// largest synchronous payload Function Compute accepts is 32 MB.
const maxEvent = 32 << 20

// routed calls each existing resource with the client of the cloud that
// hosts it, whichever cloud runs the Task state: Lambda functions through
// shim/aws, Function Compute functions through shim/aliyun.
type routed struct {
	aws, aliyun jlrt.Resources
}

// router returns the caller of existing resources for a function whose
// config has the given clouds; a cloud the config lacks still gets a
// caller, from the standard environment, since a Task's resource may be
// anywhere.
func router(ctx context.Context, getenv func(string) string, aws *awsClients,
	ali *aliyunClients) jlrt.Resources {
	r := &routed{}
	if aws == nil {
		aws, _ = newAWSClients(ctx, getenv)
	}
	if aws != nil {
		r.aws = awsshim.Resources(aws.resources)
	}
	if ali == nil {
		ali = newAliyunClients(getenv)
	}
	r.aliyun = aliyunshim.Resources(ali.v3, ali.v2)
	return r
}

// Call calls resource res with input.
func (r *routed) Call(ctx context.Context, res jlrt.Resource, input any) (any, error) {
	target := r.aws
	if res.Kind == "fc" {
		target = r.aliyun
	}
	if target == nil {
		return nil, fmt.Errorf("task state %q: no client can call %s", res.State, res.ARN)
	}
	return target.Call(ctx, res, input)
}

// redisStore returns the redis store of cloud s, its keys under the
// workflow's prefix.
func redisStore(s settings) (jlrt.Store, error) {
	addr := s.cloud.Store.Address
	if addr == "" {
		return nil, fmt.Errorf("the redis store of cloud %s has no address", s.name)
	}
	client := goredis.NewClient(&goredis.Options{Addr: addr})
	return redis.New(client, s.keyPrefix), nil
}

// readBody reads an event, up to maxEvent bytes.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxEvent+1))
	if err != nil {
		return nil, fmt.Errorf("read event: %w", err)
	}
	if len(b) > maxEvent {
		return nil, fmt.Errorf("the event is over %d bytes", maxEvent)
	}
	return b, nil
}
