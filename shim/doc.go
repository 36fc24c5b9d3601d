// Package shim holds the Backend-Shim implementations, one sub-package per
// backend: local (the embedded jointcloud), aws (Lambda, DynamoDB, S3),
// aliyun (Function Compute, TableStore, OSS) and redis (a store usable
// from both clouds).
package shim
