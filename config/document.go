package config

import (
	"fmt"
	"time"

	"github.com/jointlambda/jlgen/ir"
	"github.com/jointlambda/jlgen/parser/source"
)

// document decodes the whole file. It returns false when the file is of a
// version this package does not read, in which case nothing else in it is
// checked.
func (d *decoder) document(root *source.Node) bool {
	if root.Kind == source.Null {
		d.errorf(root.Pos, "the config is empty: it needs version, clouds and placement")
		return false
	}
	if root.Kind != source.Object {
		d.errorf(root.Pos, "the config must be a mapping with version, clouds and placement, "+
			"found %s", kindName(root.Kind, false))
		return false
	}
	if !d.version(root.Get("version")) {
		return false
	}
	c := d.cfg
	d.object(root, "",
		field{"version", true, func(*source.Node, string) {}},
		field{"checkpointTTL", false, func(v *source.Node, p string) {
			c.CheckpointTTL = d.duration(v, p)
		}},
		field{"clouds", true, d.clouds},
		field{"placement", true, d.placement},
		field{"failover", false, d.failover},
	)
	return true
}

// version decodes the version field, if present, and reports whether the
// rest of the file should be read.
func (d *decoder) version(m *source.Member) bool {
	if m == nil {
		return true
	}
	v, ok := d.integer(m.Value, "version", 0, 1<<31-1)
	if ok && v != Version {
		d.errorf(m.Value.Pos, "unsupported config version %d (this jlgen reads version %d)",
			v, Version)
		return false
	}
	d.cfg.Version = v
	return true
}

func (d *decoder) duration(n *source.Node, path string) time.Duration {
	s := d.match(n, path, d.re.ttl, "a duration such as 168h or 1h30m (units h, m and s)")
	if s == "" {
		return 0
	}
	t, err := time.ParseDuration(s)
	if err != nil {
		d.errorf(n.Pos, "%s%v", subject(path), err)
	}
	return t
}

func (d *decoder) clouds(n *source.Node, path string) {
	d.members(n, path, func(m source.Member, path string) {
		if !d.re.cloudName.MatchString(m.Key) {
			d.errorf(m.KeyPos, "%scloud name %q must be lower-case letters, digits and "+
				"hyphens, starting with a letter, at most 32 long", subject("clouds"), m.Key)
		}
		cl := &Cloud{}
		d.cfg.Clouds[m.Key] = cl
		d.cloud(cl, m.Value, path)
	})
	if n.Kind == source.Object && len(n.Members) == 0 {
		d.errorf(n.Pos, "clouds: at least one cloud is needed")
	}
}

func (d *decoder) cloud(cl *Cloud, n *source.Node, path string) {
	d.object(n, path,
		field{"provider", true, func(v *source.Node, p string) {
			cl.Provider = Provider(d.oneOf(v, p, string(ProviderAWS), string(ProviderAliyun),
				string(ProviderLocal)))
		}},
		field{"region", false, func(v *source.Node, p string) {
			cl.Region = d.match(v, p, d.re.region, "a region such as us-east-1 or cn-hangzhou")
		}},
		field{"store", false, func(v *source.Node, p string) { d.store(&cl.Store, v, p) }},
		field{"blobs", false, func(v *source.Node, p string) { d.blobs(&cl.Blobs, v, p) }},
		field{"invoker", false, func(v *source.Node, p string) {
			d.object(v, p, d.endpoint(&cl.Invoker.Endpoint))
		}},
		field{"inlineLimit", false, func(v *source.Node, p string) {
			cl.InlineLimit, _ = d.integer(v, p, MinInlineLimit, MaxLocalLimit)
		}},
	)
}

func (d *decoder) store(s *Store, n *source.Node, path string) {
	d.object(n, path,
		field{"kind", true, func(v *source.Node, p string) {
			s.Kind = StoreKind(d.oneOf(v, p, string(StoreDynamoDB), string(StoreTableStore),
				string(StoreRedis), string(StoreBBolt), string(StoreMemory)))
		}},
		d.text("table", &s.Table),
		d.text("instance", &s.Instance),
		field{"address", false, func(v *source.Node, p string) {
			s.Address = d.match(v, p, d.re.address, "a host:port address")
		}},
		d.text("path", &s.Path),
		d.endpoint(&s.Endpoint),
	)
}

func (d *decoder) blobs(b *Blobs, n *source.Node, path string) {
	d.object(n, path,
		field{"kind", true, func(v *source.Node, p string) {
			b.Kind = BlobKind(d.oneOf(v, p, string(BlobsS3), string(BlobsOSS), string(BlobsFile),
				string(BlobsMemory)))
		}},
		d.text("bucket", &b.Bucket),
		d.text("prefix", &b.Prefix),
		d.text("dir", &b.Dir),
		d.endpoint(&b.Endpoint),
	)
}

// text is an optional field holding a non-empty string.
func (d *decoder) text(name string, dst *string) field {
	return field{name, false, func(v *source.Node, p string) { *dst, _ = d.str(v, p) }}
}

// endpoint is an optional field holding an http or https URL.
func (d *decoder) endpoint(dst *string) field {
	return field{"endpoint", false, func(v *source.Node, p string) {
		*dst = d.match(v, p, d.re.endpoint, "an http:// or https:// URL")
	}}
}

func (d *decoder) placement(n *source.Node, path string) {
	c := d.cfg
	d.object(n, path,
		field{"default", true, func(v *source.Node, p string) { c.DefaultCloud, _ = d.str(v, p) }},
		field{"states", false, d.states},
	)
}

func (d *decoder) states(n *source.Node, path string) {
	d.members(n, path, func(m source.Member, p string) {
		if m.Key == "" {
			d.errorf(m.KeyPos, "%sa state name must not be empty", subject(path))
		}
		d.cfg.StateClouds[m.Key], _ = d.str(m.Value, p)
	})
}

func (d *decoder) failover(n *source.Node, path string) {
	if !d.expect(n, path, source.Array) {
		return
	}
	d.cfg.Failover = []string{}
	first := map[string]ir.Pos{}
	for _, item := range n.Items {
		name, ok := d.str(item, fmt.Sprintf("%s.%d", path, len(d.cfg.Failover)))
		if !ok {
			continue
		}
		if pos, dup := first[name]; dup {
			d.errorf(item.Pos, "failover: cloud %q is listed twice (first at %s)", name, pos)
		} else {
			first[name] = item.Pos
		}
		d.cfg.Failover = append(d.cfg.Failover, name)
	}
}
