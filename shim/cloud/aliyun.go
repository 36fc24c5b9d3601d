package cloud

import (
	"errors"
	"fmt"
	"strings"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	fc "github.com/alibabacloud-go/fc-20230330/v4/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss"
	osscred "github.com/aliyun/alibabacloud-oss-go-sdk-v2/oss/credentials"
	"github.com/aliyun/aliyun-tablestore-go-sdk/v5/tablestore"
	"github.com/aliyun/credentials-go/credentials/providers"
	fc2 "github.com/aliyun/fc-go-sdk"

	"github.com/jointlambda/jlgen/config"
	jlrt "github.com/jointlambda/jlgen/runtime"
	aliyunshim "github.com/jointlambda/jlgen/shim/aliyun"
)

// aliyunClients holds the credentials and account all aliyun clouds
// share, from Alibaba's standard environment variables or, without them,
// its profile files (see fileCredentials).
type aliyunClients struct {
	keyID, secret, token string
	account, region      string
	// v3 and v2 call existing functions for Task states; nil when no
	// endpoint can be made out.
	v3 *fc.Client
	v2 *fc2.Client
}

func newAliyunClients(getenv func(string) string) *aliyunClients {
	a := &aliyunClients{keyID: getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"),
		secret:  getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
		token:   getenv("ALIBABA_CLOUD_SECURITY_TOKEN"),
		account: cmpOr(getenv("FC_ACCOUNT_ID"), getenv("ALIBABA_CLOUD_ACCOUNT_ID")),
		region:  getenv("FC_REGION")}
	if a.keyID == "" {
		if c, err := fileCredentials(); err == nil {
			a.keyID, a.secret, a.token = c.AccessKeyId, c.AccessKeySecret, c.SecurityToken
		}
	}
	a.v3, _ = a.fc3(a.region, "")
	a.v2, _ = a.fc2(a.region, "")
	return a
}

// fileCredentials reads Alibaba credentials from the files the Alibaba
// Cloud CLI and SDKs share: the CLI's ~/.aliyun/config.json, then the ini
// file that ALIBABA_CLOUD_CREDENTIALS_FILE names (~/.alibabacloud/credentials
// by default). A process without credential variables, such as a client
// that starts executions from a workstation, uses them. Unlike the SDKs'
// default chain, it never asks an instance metadata service.
func fileCredentials() (*providers.Credentials, error) {
	var errs []error
	if p, err := providers.NewCLIProfileCredentialsProviderBuilder().Build(); err == nil {
		c, err := p.GetCredentials()
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
	}
	p, err := providers.NewProfileCredentialsProviderBuilder().Build()
	if err == nil {
		c, err := p.GetCredentials()
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
	}
	return nil, fmt.Errorf("no Alibaba credentials in the environment or the profile files: %w",
		errors.Join(errs...))
}

// cloud builds the aliyun cloud s: its store, blobs and Function Compute
// invoker (FC 3.0's, or FC 2.0's when the cloud names a service).
func (a *aliyunClients) cloud(s settings) (*jlrt.Cloud, error) {
	cl := s.cloud
	region := cmpOr(s.region, a.region)
	c := &jlrt.Cloud{Name: s.name, Retryable: aliyunshim.Retryable, InlineLimit: cl.InlineLimit}
	switch cl.Store.Kind {
	case config.StoreTableStore:
		ep := cl.Store.Endpoint
		if ep == "" {
			if region == "" {
				return nil, fmt.Errorf("the TableStore endpoint needs a region: set FC_REGION " +
					"or the cloud's region")
			}
			ep = "https://" + cl.Store.Instance + "." + region + ".ots.aliyuncs.com"
		}
		client := tablestore.NewClientWithConfig(ep, cl.Store.Instance, a.keyID, a.secret,
			a.token, nil)
		c.Store = aliyunshim.NewTableStore(client, cl.Store.Table)
	case config.StoreRedis:
		store, err := redisStore(s)
		if err != nil {
			return nil, err
		}
		c.Store = store
	default:
		return nil, fmt.Errorf("store %q is not available on aliyun", cl.Store.Kind)
	}
	if cl.Blobs.Kind != config.BlobsOSS {
		return nil, fmt.Errorf("blobs %q are not available on aliyun", cl.Blobs.Kind)
	}
	ocfg := a.ossConfig(region, cl.Blobs.Endpoint)
	c.Blobs = aliyunshim.NewOSSBlobs(oss.NewClient(ocfg), cl.Blobs.Bucket)
	if s.fcService != "" {
		client, err := a.fc2(region, cl.Invoker.Endpoint)
		if err != nil {
			return nil, err
		}
		c.Invoker = aliyunshim.NewFC2Invoker(client, s.fcService, s.functionName())
		return c, nil
	}
	client, err := a.fc3(region, cl.Invoker.Endpoint)
	if err != nil {
		return nil, err
	}
	c.Invoker = aliyunshim.NewFCInvoker(client, s.prefix)
	return c, nil
}

// ossConfig returns the configuration of an OSS client for region, with
// the region's public endpoint or the endpoint given. Requests name the
// bucket in the host (bucket.endpoint), the only form OSS accepts
// (https://help.aliyun.com/en/oss/developer-reference/overview-24); the
// SDK names it in the path instead only for an endpoint that is an IP
// address, such as a local test server's.
func (a *aliyunClients) ossConfig(region, endpoint string) *oss.Config {
	cfg := oss.LoadDefaultConfig().WithRegion(region).
		WithCredentialsProvider(osscred.NewStaticCredentialsProvider(a.keyID, a.secret, a.token))
	if endpoint != "" {
		cfg = cfg.WithEndpoint(endpoint)
	}
	return cfg
}

// fc3 returns a Function Compute 3.0 client for endpoint, or for the
// account's endpoint in region when endpoint is empty. An endpoint
// written as http://host talks plain HTTP.
func (a *aliyunClients) fc3(region, endpoint string) (*fc.Client, error) {
	host, protocol, err := a.endpoint(region, endpoint)
	if err != nil {
		return nil, err
	}
	cfg := &openapi.Config{AccessKeyId: dara.String(a.keyID),
		AccessKeySecret: dara.String(a.secret), RegionId: dara.String(region),
		Endpoint: dara.String(host), Protocol: dara.String(protocol)}
	if a.token != "" {
		cfg.SecurityToken = dara.String(a.token)
	}
	client, err := fc.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("function compute 3.0 client: %w", err)
	}
	return client, nil
}

// fc2 returns a Function Compute 2.0 client, like fc3.
func (a *aliyunClients) fc2(region, endpoint string) (*fc2.Client, error) {
	host, protocol, err := a.endpoint(region, endpoint)
	if err != nil {
		return nil, err
	}
	var opts []fc2.ClientOption
	if a.token != "" {
		opts = append(opts, fc2.WithSecurityToken(a.token))
	}
	client, err := fc2.NewClient(protocol+"://"+host, "2016-08-15", a.keyID, a.secret, opts...)
	if err != nil {
		return nil, fmt.Errorf("function compute 2.0 client: %w", err)
	}
	return client, nil
}

// endpoint returns the host and protocol of the Function Compute
// endpoint: the one given, or the account's in region.
func (a *aliyunClients) endpoint(region, endpoint string) (host, protocol string, err error) {
	if endpoint != "" {
		if rest, ok := strings.CutPrefix(endpoint, "http://"); ok {
			return rest, "http", nil
		}
		return strings.TrimPrefix(endpoint, "https://"), "https", nil
	}
	if a.account == "" || region == "" {
		return "", "", fmt.Errorf("the Function Compute endpoint needs an account and a " +
			"region: set FC_ACCOUNT_ID and FC_REGION, or the cloud's invoker endpoint")
	}
	return a.account + "." + region + ".fc.aliyuncs.com", "https", nil
}
