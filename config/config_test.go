package config

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDefaultAndLocalMatchTestdata(t *testing.T) {
	for _, tc := range []struct {
		dir  string
		want *Config
	}{
		{"testdata/valid/default", Default()},
		{"testdata/valid/local", Local()},
	} {
		got, err := Load(filepath.Join(tc.dir, "jlgen.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreUnexported(Config{})); diff != "" {
			t.Errorf("%s (-built +parsed):\n%s", tc.dir, diff)
		}
		if ds := tc.want.validate(); len(ds) > 0 {
			t.Errorf("%s: built config is invalid: %v", tc.dir, ds)
		}
	}
}

func TestDefaultsAreFresh(t *testing.T) {
	a := Default()
	a.Clouds["aws"].Region = "changed"
	a.Failover[0] = "changed"
	if b := Default(); b.Clouds["aws"].Region != "" || b.Failover[0] != "aws" {
		t.Errorf("Default shares state between calls")
	}
}

func TestPlacement(t *testing.T) {
	cfg := mustLoad(t, "testdata/valid/two-clouds")
	cfg.Clouds["gcp"] = &Cloud{Provider: ProviderAWS}
	cfg.StateClouds["Export"] = "gcp"
	for _, tc := range []struct {
		state, cloud string
		failover     []string
	}{
		{"Validate", "aws", []string{"aws", "aliyun"}},
		{"Charge", "aliyun", []string{"aliyun", "aws"}},
		{"Send receipt", "aliyun", []string{"aliyun", "aws"}},
		{"Export", "gcp", []string{"gcp", "aws", "aliyun"}},
	} {
		cloud, failover := cfg.Placement(tc.state)
		got := append([]string{cloud}, failover...)
		want := append([]string{tc.cloud}, tc.failover...)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Placement(%q) (-want +got):\n%s", tc.state, diff)
		}
	}
}

func TestPlacementDoesNotAlias(t *testing.T) {
	cfg := Local()
	_, failover := cfg.Placement("X")
	failover[0] = "changed"
	if diff := cmp.Diff([]string{"aws", "aliyun"}, cfg.Failover); diff != "" {
		t.Errorf("Placement returned the config's own slice:\n%s", diff)
	}
}

func TestCheck(t *testing.T) {
	cfg := mustLoad(t, "testdata/valid/two-clouds")
	if err := cfg.Check([]string{"Validate", "Charge", "Send receipt"}); err != nil {
		t.Errorf("Check: %v", err)
	}
	err := cfg.Check([]string{"Validate", "Charges", "Send receipt"})
	want := `jlgen.yaml:31:5: placement.states: the workflow has no state "Charge"` +
		` (did you mean "Charges"?)`
	if err == nil || err.Error() != want {
		t.Errorf("Check:\n got %v\nwant %s", err, want)
	}
	if err := Default().Check(nil); err != nil {
		t.Errorf("Default().Check: %v", err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "jlgen.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestParseErrors(t *testing.T) {
	const base = "version: 1\nclouds: {aws: {provider: aws}}\nplacement: {default: aws}\n"
	for _, tc := range []struct{ name, data, want string }{
		{"second document", base + "---\nversion: 2\n",
			"c.yaml:4:1: a config is a single YAML document; a second one starts here"},
		{"missing version", "clouds: {aws: {provider: aws}}\nplacement: {default: aws}\n",
			`c.yaml:1:1: missing field "version"`},
		{"float version", strings.Replace(base, "1", "1.5", 1),
			"c.yaml:1:10: version: expected an integer, found 1.5"},
		{"null value", base + "failover:\n",
			"c.yaml:4:11: failover: expected a list, found null"},
		{"json", `{"version": 1, "clouds": {}, "placement": {"default": "x"}, "x": 1}`,
			"c.yaml:1:26: clouds: at least one cloud is needed\n" +
				`c.yaml:1:61: unknown field "x"`},
	} {
		_, err := Parse("c.yaml", []byte(tc.data))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got %v\nwant %s", tc.name, err, tc.want)
		}
	}
}

func TestSchemaMatchesDecoder(t *testing.T) {
	var s schemaDoc
	if err := json.Unmarshal(Schema(), &s); err != nil {
		t.Fatal(err)
	}
	cloud, store, blobs := s.Defs["cloud"], s.Defs["store"], s.Defs["blobs"]
	got := []string{
		s.Properties["checkpointTTL"].Pattern,
		s.Properties["clouds"].PropertyNames.Pattern,
		cloud.Properties["region"].Pattern,
		s.Defs["endpoint"].Pattern,
		store.Properties["address"].Pattern,
	}
	want := []string{ttlPattern, cloudNamePattern, regionPattern, endpointPattern, addressPattern}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("patterns (-decoder +schema):\n%s", diff)
	}
	enums := [][]string{cloud.Properties["provider"].Enum,
		store.Properties["kind"].Enum, blobs.Properties["kind"].Enum}
	wantEnums := [][]string{
		{"aws", "aliyun", "local"},
		{"dynamodb", "tablestore", "redis", "bbolt", "memory"},
		{"s3", "oss", "file", "memory"},
	}
	if diff := cmp.Diff(wantEnums, enums); diff != "" {
		t.Errorf("enums (-decoder +schema):\n%s", diff)
	}
	for _, p := range []Provider{ProviderAWS, ProviderAliyun, ProviderLocal} {
		if !slices.Contains(wantEnums[0], string(p)) {
			t.Errorf("provider %s missing from the schema", p)
		}
	}
}

// schemaDoc is the part of schema.json that TestSchemaMatchesDecoder reads.
type schemaDoc struct {
	Properties    map[string]schemaDoc
	Defs          map[string]schemaDoc `json:"$defs"`
	Pattern       string
	Enum          []string
	PropertyNames *schemaDoc
}

func mustLoad(t *testing.T, dir string) *Config {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "jlgen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse("jlgen.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
