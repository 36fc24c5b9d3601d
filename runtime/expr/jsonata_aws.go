package expr

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"math"
	mrand "math/rand/v2"

	jsonata "github.com/xiatechs/jsonata-go"
)

// awsJSONataFuncs returns the functions Step Functions adds to JSONata.
func awsJSONataFuncs() map[string]jsonata.Extension {
	return map[string]jsonata.Extension{
		"partition": {Func: jsonataPartition},
		"range":     {Func: jsonataRange},
		"hash":      {Func: jsonataHash},
		"random":    {Func: jsonataRandom},
		"uuid":      {Func: jsonataUUID},
		"parse":     {Func: jsonataParse},
	}
}

// jsonataPartition splits an array into chunks of at most size items.
func jsonataPartition(items []any, size float64) ([]any, error) {
	if size < 1 || size != math.Trunc(size) {
		return nil, fmt.Errorf("$partition: the chunk size must be a positive integer")
	}
	n := int(min(size, float64(len(items)+1)))
	out := []any{}
	for len(items) > 0 {
		k := min(n, len(items))
		out = append(out, append([]any(nil), items[:k]...))
		items = items[k:]
	}
	return out, nil
}

// jsonataRange returns the integers from start to end, both included.
func jsonataRange(start, end, step float64) ([]any, error) {
	if step == 0 || step != math.Trunc(step) || start != math.Trunc(start) ||
		end != math.Trunc(end) {
		return nil, fmt.Errorf("$range: bounds and step must be integers, step not zero")
	}
	if (end-start)/step >= maxRangeItems {
		return nil, fmt.Errorf("$range: more than %d items", maxRangeItems)
	}
	out := []any{}
	for v := start; (step > 0 && v <= end) || (step < 0 && v >= end); v += step {
		out = append(out, v)
	}
	return out, nil
}

// jsonataHash returns the hex digest of a string.
func jsonataHash(data, algorithm string) (string, error) {
	var h hash.Hash
	switch algorithm {
	case "MD5":
		h = md5.New()
	case "SHA-1":
		h = sha1.New()
	case "SHA-256":
		h = sha256.New()
	case "SHA-384":
		h = sha512.New384()
	case "SHA-512":
		h = sha512.New()
	default:
		return "", fmt.Errorf("$hash: unsupported algorithm %q", algorithm)
	}
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// jsonataRandom returns a number in [0, 1); an integer seed makes it
// repeatable.
func jsonataRandom(seed ...float64) (float64, error) {
	if len(seed) > 1 {
		return 0, fmt.Errorf("$random takes at most 1 argument")
	}
	if len(seed) == 1 {
		s := uint64(int64(seed[0]))
		return mrand.New(mrand.NewPCG(s, s)).Float64(), nil
	}
	return mrand.Float64(), nil
}

// jsonataUUID returns a random version 4 UUID.
func jsonataUUID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("$uuid: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	x := hex.EncodeToString(b[:])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:], nil
}

// jsonataParse decodes a JSON text.
func jsonataParse(text string) (any, error) {
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return nil, fmt.Errorf("$parse: %w", err)
	}
	return v, nil
}
