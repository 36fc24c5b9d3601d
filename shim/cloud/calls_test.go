package cloud

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"

	"github.com/jointlambda/jlgen/codegen"
	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser"
	jlrt "github.com/jointlambda/jlgen/runtime"
	awsshim "github.com/jointlambda/jlgen/shim/aws"
)

// TestCloudCallsMatchesRouter checks codegen.CloudCalls, by which jlgen
// convert tells a user which DefaultTasks methods the deployed functions
// do not call, against the caller of resources the functions really use:
// each Task state of a definition with one Task per kind of resource is
// called through it, and a state that CloudCalls says is called reaches
// Lambda, while any other is refused with ErrUnsupportedResource before
// a request is sent.
func TestCloudCallsMatchesRouter(t *testing.T) {
	const def = "../../testdata/asl/task-resource-kinds/definition.asl.json"
	data, err := os.ReadFile(def)
	if err != nil {
		t.Fatal(err)
	}
	wf, diags := parser.Parse(def, data)
	if len(diags) > 0 {
		t.Fatalf("parse %s: %v", def, diags)
	}
	var requests atomic.Int32
	lambda := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		requests.Add(1)
		w.Header().Set("X-Amz-Executed-Version", "$LATEST")
		w.Write([]byte(`{"ok": true}`))
	}))
	defer lambda.Close()
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	t.Setenv("AWS_ACCESS_KEY_ID", "jlgen")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "jlgen")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ENDPOINT_URL_LAMBDA", lambda.URL)
	ctx := context.Background()
	calls := router(ctx, func(string) string { return "" }, nil, nil)

	var called, refused int
	ir.Walk(wf.Graph, func(_ *ir.Graph, s *ir.State) {
		if s.Type != ir.TypeTask {
			return
		}
		before := requests.Load()
		_, err := calls.Call(ctx, jlrt.Resource{State: s.Name, Kind: string(s.Task.Kind),
			ARN: s.Task.Resource}, map[string]any{"FunctionName": "validate",
			"Payload": map[string]any{}})
		sent := requests.Load() > before
		switch ok, why := codegen.CloudCalls(s.Task); {
		case ok && (err != nil || !sent):
			t.Errorf("%s (%s): CloudCalls says it is called, and the call sent a request: "+
				"%v, error %v", s.Name, s.Task.Kind, sent, err)
		case !ok && (!errors.Is(err, awsshim.ErrUnsupportedResource) || sent):
			t.Errorf("%s (%s): CloudCalls says it is not (%s), and the call sent a request: "+
				"%v, error %v", s.Name, s.Task.Kind, why, sent, err)
		case ok:
			called++
		default:
			refused++
		}
	})
	if called == 0 || refused == 0 {
		t.Errorf("%d states called and %d refused: the definition should have both", called,
			refused)
	}
	t.Logf("%d Task states called, %d refused, as CloudCalls says", called, refused)
}
