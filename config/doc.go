// Package config reads jlgen.yaml, the file that says which clouds a
// converted workflow runs on, where each of its states is placed and in
// which order clouds are tried when one refuses an invocation. jlgen
// convert reads it with --config; jlgen run uses Local when given none.
//
// # Without a file
//
// jlgen convert without --config uses Default: one cloud named aws on AWS
// Lambda, with DynamoDB table jlgen-checkpoints and S3 bucket jlgen-blobs,
// every state placed on it and nothing to fail over to. jlgen run uses
// Local: two local clouds of the embedded backend, aws and aliyun, each
// with in-memory stores, every state placed on aws, failing over to
// aliyun.
//
// # The file
//
// The file is YAML (JSON works too). A complete example:
//
//	version: 1
//	checkpointTTL: 72h
//	clouds:
//	  aws:
//	    provider: aws
//	    region: us-east-1
//	    store: {kind: dynamodb, table: orders-checkpoints}
//	    blobs: {kind: s3, bucket: orders-blobs, prefix: payloads/}
//	  aliyun:
//	    provider: aliyun
//	    region: cn-hangzhou
//	    store: {kind: tablestore, instance: orders}
//	    blobs: {kind: oss, bucket: orders-blobs-hz}
//	placement:
//	  default: aws
//	  states:
//	    Charge: aliyun
//	failover: [aws, aliyun]
//
// The top-level fields:
//
//   - version (required): the format version, 1. A file of another
//     version is refused as a whole.
//   - checkpointTTL: how long checkpoints, join records and results stay in
//     the stores, in hours, minutes and seconds (168h, 1h30m, 45m). It
//     bounds how long an execution may take, Wait states included.
//     Default 168h.
//   - clouds (required): the clouds, by name. A name is lower-case
//     letters, digits and hyphens, starting with a letter, at most 32
//     long. Placement and failover refer to clouds by these names.
//   - placement (required): default (required) is the cloud of every
//     state; states maps a state name to the cloud it runs on instead.
//   - failover: the clouds to try, in order, when the cloud a state is
//     placed on refuses an invocation. The placed cloud is always tried
//     first, then the others in this order. Left out, nothing is retried
//     elsewhere.
//
// The fields of a cloud:
//
//   - provider (required): aws (Lambda), aliyun (Function Compute) or
//     local (the embedded local backend).
//   - region: such as us-east-1 or cn-hangzhou. Left out, the platform's
//     environment decides. Local clouds have no region.
//   - store: the strongly consistent store of checkpoints, join records
//     and results; see below. Left out: dynamodb on aws, tablestore on
//     aliyun, memory on local.
//   - blobs: the object store for payloads too large to travel inline;
//     see below. Left out: s3 on aws, oss on aliyun, memory on local.
//   - invoker: endpoint, an http:// or https:// URL that overrides the
//     Lambda or Function Compute endpoint. Local clouds have none.
//   - inlineLimit: the largest envelope, in bytes, sent inside an
//     asynchronous invocation; a larger payload is written to a blob
//     store and the envelope carries a reference. At least 1024. The
//     default and the maximum are the platform's limit: 1048576 (1 MB) on
//     aws, 131072 (128 KB) on aliyun; a local cloud defaults to 1048576
//     and accepts up to 1 GB.
//
// A store has a kind and the fields of that kind:
//
//	kind        on             fields
//	dynamodb    aws            table (default jlgen-checkpoints), endpoint
//	tablestore  aliyun         instance (default jlgen), table (default
//	                           jlgen-checkpoints), endpoint
//	redis       aws, aliyun    address (required, host:port)
//	bbolt       local          path (required, the database file)
//	memory      local          none
//
// A blob store has a kind and the fields of that kind:
//
//	kind        on             fields
//	s3          aws            bucket (default jlgen-blobs), prefix, endpoint
//	oss         aliyun         bucket (default jlgen-blobs), prefix, endpoint
//	file        local          dir (required)
//	memory      local          none
//
// Credentials never appear in the file; each platform's functions get them
// from the environment they run in.
//
// # Strictness
//
// Parse refuses anything it does not understand rather than guess: unknown
// fields, duplicate keys, values of the wrong type, empty strings, more
// than one YAML document, fields that do not apply to a kind, a kind that
// does not run on its cloud's provider, and cloud names that no cloud
// has. It reports every problem at once, each as FILE:LINE:COL: message,
// and suggests the likely name for a misspelt field or cloud. Anchors and
// merge keys are resolved before the file is read. Config.Check then
// reports states under placement.states that the workflow does not have.
//
// # Schema
//
// Schema returns the JSON Schema (draft 2020-12) of the format, which
// jlgen schema prints, for editors that complete and check YAML. It checks
// everything Parse does except that placement and failover name defined
// clouds, which JSON Schema cannot express.
package config
