package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/jointlambda/jlgen/ir"
)

// validate checks what decoding a single value cannot: that providers,
// store kinds and their fields fit together, that limits suit the
// platform, and that placement and failover name defined clouds. Values
// left out (zero) are not checked; they get their defaults afterwards.
func (c *Config) validate() ir.Diagnostics {
	var ds ir.Diagnostics
	for _, name := range c.cloudNames() {
		ds = append(ds, c.validateCloud(name, c.Clouds[name])...)
	}
	if len(c.Clouds) == 0 {
		return ds // already reported; every reference would be reported again
	}
	if c.DefaultCloud != "" {
		ds = append(ds, c.cloudRef("placement.default", c.DefaultCloud)...)
	}
	for _, state := range sortedKeys(c.StateClouds) {
		if cloud := c.StateClouds[state]; cloud != "" {
			ds = append(ds, c.cloudRef("placement.states."+state, cloud)...)
		}
	}
	for i, cloud := range c.Failover {
		if cloud != "" {
			ds = append(ds, c.cloudRef(fmt.Sprintf("failover.%d", i), cloud)...)
		}
	}
	return ds
}

// cloudRef checks that the value at path names a defined cloud.
func (c *Config) cloudRef(path, cloud string) ir.Diagnostics {
	if _, ok := c.Clouds[cloud]; ok {
		return nil
	}
	names := c.cloudNames()
	hint := suggest(cloud, names)
	if hint == "" {
		hint = " (clouds: " + strings.Join(names, ", ") + ")"
	}
	return ir.Diagnostics{c.errorf(path, "%sno cloud named %q%s", subject(path), cloud, hint)}
}

func (c *Config) validateCloud(name string, cl *Cloud) ir.Diagnostics {
	path := "clouds." + name
	p := cl.Provider
	var ds ir.Diagnostics
	if p == "" {
		return nil // already reported as missing or not a provider
	}
	if p == ProviderLocal && cl.Region != "" {
		ds = append(ds, c.errorf(path+".region", "%s.region: a local cloud has no region", path))
	}
	if p == ProviderLocal && cl.Invoker.Endpoint != "" {
		ds = append(ds, c.errorf(path+".invoker.endpoint",
			"%s.invoker: a local cloud has no invoker settings", path))
	}
	if max := p.maxInlineLimit(); cl.InlineLimit > max {
		ds = append(ds, c.errorf(path+".inlineLimit",
			"%s.inlineLimit: %d is over the %s limit of %d bytes", path, cl.InlineLimit, p, max))
	}
	ds = append(ds, c.validateKind(path+".store", "store", p, string(cl.Store.Kind),
		p.stores(), storeFields(cl.Store), storeRule(cl.Store.Kind))...)
	ds = append(ds, c.validateKind(path+".blobs", "blob store", p, string(cl.Blobs.Kind),
		p.blobs(), blobFields(cl.Blobs), blobRule(cl.Blobs.Kind))...)
	return ds
}

// validateKind checks that a store or blob store of the given kind runs on
// the provider, has the fields its kind needs and no others.
func (c *Config) validateKind(path, what string, p Provider, kind string, kinds []string,
	fields []namedValue, r rule) ir.Diagnostics {
	if kind == "" {
		return nil // left out: the provider's default applies
	}
	if !slices.Contains(kinds, kind) {
		return ir.Diagnostics{c.errorf(path+".kind", "%s.kind: %s kind %q does not run on "+
			"%s (use %s)", path, what, kind, p, strings.Join(kinds, " or "))}
	}
	var ds ir.Diagnostics
	for _, f := range fields {
		switch {
		case f.value != "" && !slices.Contains(r.allowed, f.name):
			ds = append(ds, c.errorf(path+"."+f.name, "%s.%s: %s kind %s takes no %s",
				path, f.name, what, kind, f.name))
		case f.value == "" && slices.Contains(r.required, f.name):
			ds = append(ds, c.errorf(path+".kind", "%s: %s kind %s needs %q",
				path, what, kind, f.name))
		}
	}
	return ds
}

// namedValue is one field of a store or blob store, named as in the file.
type namedValue struct{ name, value string }

// rule lists the fields a store or blob store kind accepts and needs.
type rule struct{ allowed, required []string }

func storeFields(s Store) []namedValue {
	return []namedValue{{"table", s.Table}, {"instance", s.Instance},
		{"address", s.Address}, {"path", s.Path}, {"endpoint", s.Endpoint}}
}

func blobFields(b Blobs) []namedValue {
	return []namedValue{{"bucket", b.Bucket}, {"prefix", b.Prefix},
		{"dir", b.Dir}, {"endpoint", b.Endpoint}}
}

func storeRule(k StoreKind) rule {
	switch k {
	case StoreDynamoDB:
		return rule{allowed: []string{"table", "endpoint"}}
	case StoreTableStore:
		return rule{allowed: []string{"table", "instance", "endpoint"}}
	case StoreRedis:
		return rule{allowed: []string{"address"}, required: []string{"address"}}
	case StoreBBolt:
		return rule{allowed: []string{"path"}, required: []string{"path"}}
	}
	return rule{}
}

func blobRule(k BlobKind) rule {
	switch k {
	case BlobsS3, BlobsOSS:
		return rule{allowed: []string{"bucket", "prefix", "endpoint"}}
	case BlobsFile:
		return rule{allowed: []string{"dir"}, required: []string{"dir"}}
	}
	return rule{}
}

// stores returns the store kinds that run on the provider.
func (p Provider) stores() []string {
	switch p {
	case ProviderAWS:
		return []string{string(StoreDynamoDB), string(StoreRedis)}
	case ProviderAliyun:
		return []string{string(StoreTableStore), string(StoreRedis)}
	}
	return []string{string(StoreMemory), string(StoreBBolt)}
}

// blobs returns the blob store kinds that run on the provider.
func (p Provider) blobs() []string {
	switch p {
	case ProviderAWS:
		return []string{string(BlobsS3)}
	case ProviderAliyun:
		return []string{string(BlobsOSS)}
	}
	return []string{string(BlobsMemory), string(BlobsFile)}
}

// errorf returns a diagnostic at the position of the value at path.
func (c *Config) errorf(path, format string, args ...any) ir.Diagnostic {
	return ir.Errorf(c.file, c.pos[path], format, args...)
}

func (c *Config) cloudNames() []string {
	names := make([]string, 0, len(c.Clouds))
	for name := range c.Clouds {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
