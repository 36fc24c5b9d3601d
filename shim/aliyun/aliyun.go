// Package aliyun is the Alibaba Cloud side of the Backend-Shim contract:
// a generated workflow's functions run on Function Compute as custom
// runtimes and are started by FCInvoker (FC 3.0) or FC2Invoker (FC 2.0,
// services/S/functions/F), both asynchronous with Function Compute's own
// delayed invocations; they keep their records in TableStore
// (TableStore) and large payloads in OSS (OSSBlobs), and call existing
// Function Compute functions for Task steps through Resources. Classify
// and Retryable sort the errors of the Alibaba SDKs once, for the
// failover.
//
// Package shim/cloud puts these together into the custom-runtime HTTP
// server that the generated fc/main.go starts.
package aliyun
