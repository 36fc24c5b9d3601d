// Package aws is the AWS side of the Backend-Shim contract: a generated
// workflow's functions run on AWS Lambda and are started by
// LambdaInvoker (asynchronous Event invocations; delays by a short sleep,
// an SQS delay queue drained by Relay, or an EventBridge Scheduler
// one-time schedule), keep their records in DynamoDB (DynamoStore) and
// large payloads in S3 (S3Blobs), and call existing Lambda functions for
// Task states through Resources. Classify and Retryable sort the errors
// of the SDK once, for the failover.
//
// Package shim/cloud puts these together into the Lambda handler that the
// generated lambda/main.go starts.
package aws
