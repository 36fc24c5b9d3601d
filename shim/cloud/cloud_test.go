package cloud

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jointlambda/jlgen/config"
)

const twoClouds = `version: 1
clouds:
  aws: {provider: aws, region: us-east-1}
  aliyun: {provider: aliyun}
placement: {default: aws}
failover: [aws, aliyun]
`

// TestNewMisconfiguredCloud checks that a function whose other cloud
// cannot be set up from its environment still starts, and reports the
// reason on that cloud's first use; while its own cloud's must be right.
func TestNewMisconfiguredCloud(t *testing.T) {
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/credentials")
	ctx := context.Background()
	none := func(string) string { return "" }
	b, err := New(ctx, Function{Cloud: "aws", Prefix: "wf", Config: twoClouds}, none)
	if err != nil {
		t.Fatalf("New(aws) = %v, want the aws function to start", err)
	}
	ali := b.Platform.Clouds["aliyun"]
	err = ali.Invoker.Invoke(ctx, "start", []byte(`{}`))
	if err == nil || !strings.Contains(err.Error(), "cloud aliyun is not configured here") ||
		!strings.Contains(err.Error(), "needs a region") {
		t.Errorf("Invoke on the misconfigured cloud = %v", err)
	}
	if _, _, err := ali.Store.Get(ctx, "k"); err == nil {
		t.Error("Get on the misconfigured cloud succeeded")
	}
	if ali.Retryable(err) {
		t.Error("a misconfigured cloud's refusal is retryable")
	}
	_, err = New(ctx, Function{Cloud: "aliyun", Prefix: "wf", Config: twoClouds}, none)
	if err == nil || !strings.Contains(err.Error(), "cloud aliyun") {
		t.Errorf("New(aliyun) without FC_REGION = %v, want an error", err)
	}
	region := func(k string) string {
		return map[string]string{"FC_REGION": "cn-hangzhou", "FC_ACCOUNT_ID": "123"}[k]
	}
	if _, err := New(ctx, Function{Cloud: "aliyun", Prefix: "wf", Config: twoClouds},
		region); err != nil {
		t.Errorf("New(aliyun) with its region and account = %v", err)
	}
}

// TestSettingsOverrides checks which variables override the config, for
// the function's own cloud and for another.
func TestSettingsOverrides(t *testing.T) {
	env := map[string]string{"JLGEN_TABLE": "own", "JLGEN_AWS_STORE_TABLE": "named",
		"JLGEN_FUNCTION_PREFIX": "stack", "JLGEN_ALIYUN_FUNCTION_PREFIX": "ali",
		"JLGEN_ALIYUN_STORE_INSTANCE": "inst", "JLGEN_BUCKET": "bkt"}
	get := func(k string) string { return env[k] }
	cfg := mustParse(t, twoClouds)
	fn := Function{Cloud: "aws", Prefix: "wf"}
	own := settingsOf("aws", cfg.Clouds["aws"], fn, get)
	if own.cloud.Store.Table != "named" || own.prefix != "stack" ||
		own.cloud.Blobs.Bucket != "bkt" {
		t.Errorf("own cloud: table %q prefix %q bucket %q", own.cloud.Store.Table, own.prefix,
			own.cloud.Blobs.Bucket)
	}
	other := settingsOf("aliyun", cfg.Clouds["aliyun"], fn, get)
	if other.prefix != "ali" || other.cloud.Store.Instance != "inst" || other.keyPrefix != "wf" {
		t.Errorf("other cloud: prefix %q instance %q key prefix %q", other.prefix,
			other.cloud.Store.Instance, other.keyPrefix)
	}
	if cfg.Clouds["aws"].Store.Table == "named" {
		t.Error("settingsOf changed the config")
	}
	if got := own.functionName()("task:Charge"); got != "stack-task-Charge" {
		t.Errorf("function name %q", got)
	}
}

func mustParse(t *testing.T, doc string) *config.Config {
	t.Helper()
	cfg, err := config.Parse("jlgen.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestAliyunCredentialsFromFile checks that a process without Alibaba's
// credential variables takes them from the shared profile file, and that
// the variables win over it.
func TestAliyunCredentialsFromFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	file := filepath.Join(dir, "credentials")
	ini := "[default]\ntype = access_key\naccess_key_id = AKFILE\naccess_key_secret = SECRET\n"
	if err := os.WriteFile(file, []byte(ini), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ALIBABA_CLOUD_CREDENTIALS_FILE", file)
	a := newAliyunClients(func(string) string { return "" })
	if a.keyID != "AKFILE" || a.secret != "SECRET" {
		t.Errorf("credentials from the file = %q %q", a.keyID, a.secret)
	}
	env := map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "AKENV",
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "S2"}
	if a := newAliyunClients(func(k string) string { return env[k] }); a.keyID != "AKENV" {
		t.Errorf("with the variables set, the key is %q", a.keyID)
	}
	t.Setenv("ALIBABA_CLOUD_CREDENTIALS_FILE", filepath.Join(dir, "missing"))
	if a := newAliyunClients(func(string) string { return "" }); a.keyID != "" {
		t.Errorf("with no file, the key is %q", a.keyID)
	}
}
