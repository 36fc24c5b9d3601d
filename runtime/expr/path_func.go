package expr

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// applyFunc applies a path function such as length() to a value.
func applyFunc(fn string, v any) (any, error) {
	switch fn {
	case "length", "size":
		n, ok := size(v)
		if !ok {
			return nil, fmt.Errorf("%s() needs an array, object or string", fn)
		}
		return json.Number(strconv.Itoa(n)), nil
	case "keys":
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("keys() needs an object")
		}
		keys := []any{}
		for _, k := range sortedKeys(m) {
			keys = append(keys, k)
		}
		return keys, nil
	case "first", "last":
		return endItem(fn, v)
	}
	return aggregate(fn, v)
}

// endItem returns the first or last item of an array.
func endItem(fn string, v any) (any, error) {
	a, ok := v.([]any)
	if !ok || len(a) == 0 {
		return nil, fmt.Errorf("%s() needs a non-empty array", fn)
	}
	if fn == "first" {
		return a[0], nil
	}
	return a[len(a)-1], nil
}

// aggregate applies min, max, avg, stddev or sum to an array of numbers.
func aggregate(fn string, v any) (any, error) {
	a, ok := v.([]any)
	if !ok || len(a) == 0 {
		return nil, fmt.Errorf("%s() needs a non-empty array of numbers", fn)
	}
	nums := make([]float64, len(a))
	for i, item := range a {
		n, ok := toNumber(item)
		if !ok {
			return nil, fmt.Errorf("%s() needs an array of numbers", fn)
		}
		nums[i] = n.f
	}
	return formatNumber(fold(fn, nums)), nil
}

// fold computes an aggregate of a non-empty slice.
func fold(fn string, nums []float64) float64 {
	sum, lo, hi := 0.0, nums[0], nums[0]
	for _, f := range nums {
		sum += f
		lo, hi = min(lo, f), max(hi, f)
	}
	mean := sum / float64(len(nums))
	switch fn {
	case "min":
		return lo
	case "max":
		return hi
	case "avg":
		return mean
	case "stddev":
		sq := 0.0
		for _, f := range nums {
			sq += (f - mean) * (f - mean)
		}
		return math.Sqrt(sq / float64(len(nums)))
	}
	return sum
}

// formatNumber writes a float as the shortest JSON number.
func formatNumber(f float64) json.Number {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return json.Number("0")
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
}
