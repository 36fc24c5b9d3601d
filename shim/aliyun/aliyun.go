// Package aliyun runs a generated workflow's functions on Alibaba Function
// Compute, as a custom-runtime HTTP server, invoking them with FCInvoker
// and keeping large payloads in OSS (OSSBlobs).
//
// Not yet: the TableStore store and the wiring of Main; until then Main
// serves the custom runtime's endpoints and rejects every invocation with
// an error that says so, and Resources rejects every call likewise.
package aliyun

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"

	jlrt "github.com/jointlambda/jlgen/runtime"
)

// ErrNotImplemented reports that the Alibaba backend does not exist yet.
var ErrNotImplemented = errors.New("shim/aliyun: the Alibaba backend's TableStore store " +
	"and function handler are not implemented yet")

// Main serves the workflow's functions on the port Function Compute gives
// a custom runtime (FC_SERVER_PORT, 9000 by default).
func Main(wf *jlrt.Workflow) {
	port := os.Getenv("FC_SERVER_PORT")
	if port == "" {
		port = "9000"
	}
	log.Fatal(http.ListenAndServe(":"+port, Handler(wf)))
}

// Handler returns the HTTP handler of the workflow's functions.
func Handler(wf *jlrt.Workflow) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		msg := fmt.Sprintf("workflow %s: %v", wf.Name, ErrNotImplemented)
		http.Error(w, msg, http.StatusNotImplemented)
	})
}

// Resources returns the caller of existing Function Compute functions.
func Resources() jlrt.Resources { return resources{} }

type resources struct{}

// Call calls the resource r with input.
func (resources) Call(ctx context.Context, r jlrt.Resource, input any) (any, error) {
	return nil, fmt.Errorf("call %s for state %q: %w", r.ARN, r.State, ErrNotImplemented)
}
