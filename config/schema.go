package config

import (
	"bytes"
	_ "embed"
)

//go:embed schema.json
var schema []byte

// Schema returns the JSON Schema (draft 2020-12) of the file format, for
// editors and for jlgen schema to print. The schema checks everything
// Parse checks except that placement and failover name defined clouds,
// which JSON Schema cannot express. The caller owns the returned bytes.
func Schema() []byte { return bytes.Clone(schema) }
