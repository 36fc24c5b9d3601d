package config

import (
	"time"

	"github.com/jointlambda/jlgen/ir"
)

// Version is the only version of the file format this package reads.
const Version = 1

// Config is a decoded jlgen.yaml: the clouds, where each state runs and the
// order in which clouds are tried when an invocation is refused. A Config
// returned by Parse, Load, Default or Local is valid and has every default
// filled in.
type Config struct {
	// Version is the file format version, always 1.
	Version int
	// CheckpointTTL is how long checkpoints and join records live in the
	// stores before they expire. It bounds how long one execution may
	// take, Wait states included.
	CheckpointTTL time.Duration
	// Clouds maps a cloud name to the cloud. Names are lower-case letters,
	// digits and hyphens, starting with a letter.
	Clouds map[string]*Cloud
	// DefaultCloud is the cloud of every state that StateClouds does not
	// name (placement.default in the file).
	DefaultCloud string
	// StateClouds maps a state name to the cloud it is placed on
	// (placement.states in the file).
	StateClouds map[string]string
	// Failover is the order in which clouds are tried when the cloud a
	// state is placed on refuses an invocation. Empty means no failover.
	Failover []string

	// file and pos locate values in the file the config came from, for
	// diagnostics; pos is keyed by a dotted path such as
	// "clouds.aws.store.kind" or "placement.states.Charge".
	file string
	pos  map[string]ir.Pos
}

// Cloud is one cloud a workflow runs on.
type Cloud struct {
	// Provider is the platform the cloud runs on.
	Provider Provider
	// Region is the provider's region, such as us-east-1 or cn-hangzhou.
	// Empty means the region the platform's environment names. Local
	// clouds have no region.
	Region string
	// Store holds checkpoints, join records and results.
	Store Store
	// Blobs holds payloads too large to travel inline.
	Blobs Blobs
	// Invoker overrides how functions on this cloud are invoked. Local
	// clouds have no invoker settings.
	Invoker Invoker
	// InlineLimit is the largest envelope, in bytes, sent inside an
	// asynchronous invocation; larger payloads go through a blob store.
	InlineLimit int
}

// Provider is a platform that runs functions.
type Provider string

// The providers.
const (
	ProviderAWS    Provider = "aws"    // AWS Lambda
	ProviderAliyun Provider = "aliyun" // Alibaba Cloud Function Compute
	ProviderLocal  Provider = "local"  // the embedded local backend, shim/local
)

// Store is the strongly consistent key-value store of one cloud. Which
// fields apply depends on Kind.
type Store struct {
	// Kind is the store's technology.
	Kind StoreKind
	// Table is the table of a dynamodb or tablestore store; it defaults
	// to DefaultTable.
	Table string
	// Instance is the TableStore instance of a tablestore store; it
	// defaults to DefaultInstance.
	Instance string
	// Address is the host:port of a redis store.
	Address string
	// Path is the database file of a bbolt store.
	Path string
	// Endpoint overrides the service endpoint of a dynamodb or tablestore
	// store, for example to use DynamoDB Local.
	Endpoint string
}

// StoreKind names a store technology.
type StoreKind string

// The store kinds.
const (
	StoreDynamoDB   StoreKind = "dynamodb"   // Amazon DynamoDB, on aws
	StoreTableStore StoreKind = "tablestore" // Alibaba TableStore, on aliyun
	StoreRedis      StoreKind = "redis"      // Redis: ElastiCache, MemoryDB or Tair
	StoreBBolt      StoreKind = "bbolt"      // a bbolt file, on local
	StoreMemory     StoreKind = "memory"     // in memory, on local
)

// Blobs is the object store of one cloud. Which fields apply depends on
// Kind.
type Blobs struct {
	// Kind is the object store's technology.
	Kind BlobKind
	// Bucket is the bucket of an s3 or oss blob store; it defaults to
	// DefaultBucket.
	Bucket string
	// Prefix is prepended to every object key of an s3 or oss blob store.
	Prefix string
	// Dir is the directory of a file blob store.
	Dir string
	// Endpoint overrides the service endpoint of an s3 or oss blob store.
	Endpoint string
}

// BlobKind names an object store technology.
type BlobKind string

// The blob store kinds.
const (
	BlobsS3     BlobKind = "s3"     // Amazon S3, on aws
	BlobsOSS    BlobKind = "oss"    // Alibaba Object Storage Service, on aliyun
	BlobsFile   BlobKind = "file"   // a directory, on local
	BlobsMemory BlobKind = "memory" // in memory, on local
)

// Invoker holds settings for invoking functions on one cloud.
type Invoker struct {
	// Endpoint overrides the Lambda or Function Compute endpoint.
	Endpoint string
}

// Defaults used when the file leaves a value out.
const (
	DefaultCheckpointTTL = 7 * 24 * time.Hour
	DefaultTable         = "jlgen-checkpoints"
	DefaultInstance      = "jlgen"
	DefaultBucket        = "jlgen-blobs"
)

// Inline payload limits: the largest asynchronous invocation payload each
// platform accepts, used as the default and the maximum of InlineLimit.
const (
	AWSInlineLimit    = 1 << 20   // Lambda: 1 MB
	AliyunInlineLimit = 128 << 10 // Function Compute: 128 KB
	LocalInlineLimit  = 1 << 20   // the local backend mimics Lambda
	MinInlineLimit    = 1 << 10   // room for an envelope holding a blob reference
	MaxLocalLimit     = 1 << 30   // the most a local cloud accepts
)

// Default returns the config used for code generation when no file is
// given: one cloud "aws" on AWS with DynamoDB and S3, every state placed
// on it, and no other cloud to fail over to.
func Default() *Config {
	c := &Config{
		Version:      Version,
		Clouds:       map[string]*Cloud{"aws": {Provider: ProviderAWS}},
		DefaultCloud: "aws",
		Failover:     []string{"aws"},
	}
	c.fillDefaults()
	return c
}

// Local returns the config of the embedded local jointcloud that jlgen run
// uses: two local clouds, "aws" and "aliyun", each with in-memory stores,
// every state placed on aws, failing over to aliyun.
func Local() *Config {
	c := &Config{
		Version: Version,
		Clouds: map[string]*Cloud{
			"aws":    {Provider: ProviderLocal},
			"aliyun": {Provider: ProviderLocal},
		},
		DefaultCloud: "aws",
		Failover:     []string{"aws", "aliyun"},
	}
	c.fillDefaults()
	return c
}

// fillDefaults sets every value left out to its default.
func (c *Config) fillDefaults() {
	if c.CheckpointTTL == 0 {
		c.CheckpointTTL = DefaultCheckpointTTL
	}
	if c.StateClouds == nil {
		c.StateClouds = map[string]string{}
	}
	if c.Failover == nil {
		c.Failover = []string{}
	}
	for _, cl := range c.Clouds {
		cl.fillDefaults()
	}
}

func (cl *Cloud) fillDefaults() {
	if cl.InlineLimit == 0 {
		cl.InlineLimit = cl.Provider.inlineLimit()
	}
	if cl.Store.Kind == "" {
		cl.Store.Kind = cl.Provider.defaultStore()
	}
	if cl.Blobs.Kind == "" {
		cl.Blobs.Kind = cl.Provider.defaultBlobs()
	}
	if (cl.Store.Kind == StoreDynamoDB || cl.Store.Kind == StoreTableStore) && cl.Store.Table == "" {
		cl.Store.Table = DefaultTable
	}
	if cl.Store.Kind == StoreTableStore && cl.Store.Instance == "" {
		cl.Store.Instance = DefaultInstance
	}
	if (cl.Blobs.Kind == BlobsS3 || cl.Blobs.Kind == BlobsOSS) && cl.Blobs.Bucket == "" {
		cl.Blobs.Bucket = DefaultBucket
	}
}

// inlineLimit returns the platform's asynchronous payload limit.
func (p Provider) inlineLimit() int {
	switch p {
	case ProviderAWS:
		return AWSInlineLimit
	case ProviderAliyun:
		return AliyunInlineLimit
	}
	return LocalInlineLimit
}

// maxInlineLimit returns the largest InlineLimit the provider accepts.
func (p Provider) maxInlineLimit() int {
	if p == ProviderLocal {
		return MaxLocalLimit
	}
	return p.inlineLimit()
}

func (p Provider) defaultStore() StoreKind {
	switch p {
	case ProviderAWS:
		return StoreDynamoDB
	case ProviderAliyun:
		return StoreTableStore
	}
	return StoreMemory
}

func (p Provider) defaultBlobs() BlobKind {
	switch p {
	case ProviderAWS:
		return BlobsS3
	case ProviderAliyun:
		return BlobsOSS
	}
	return BlobsMemory
}
