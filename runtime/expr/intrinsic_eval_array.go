package expr

// evalArray returns its arguments as an array.
func evalArray(_ *Env, _ *Call, args []any) (any, error) {
	return append([]any{}, args...), nil
}

// evalArrayPartition splits an array into chunks of the given size; the
// last chunk holds what is left.
func evalArrayPartition(_ *Env, c *Call, args []any) (any, error) {
	items, err := arrayArg(c, args, 0)
	if err != nil {
		return nil, err
	}
	size, err := intArg(c, args, 1)
	if err != nil {
		return nil, err
	}
	if size <= 0 {
		return nil, failure(c, "the chunk size must be greater than 0, but was %d", size)
	}
	out := []any{}
	for len(items) > 0 {
		k := int(min(size, int64(len(items))))
		out = append(out, append([]any{}, items[:k]...))
		items = items[k:]
	}
	return out, nil
}

// evalArrayContains reports whether an array holds a value equal to the
// second argument.
func evalArrayContains(_ *Env, c *Call, args []any) (any, error) {
	items, err := arrayArg(c, args, 0)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if valuesEqual(it, args[1]) {
			return true, nil
		}
	}
	return false, nil
}

// evalArrayRange returns the integers from the first argument to the
// second, both included, a step apart; at most 1000 of them.
func evalArrayRange(_ *Env, c *Call, args []any) (any, error) {
	var b [3]int64
	for i := range b {
		v, err := intArg(c, args, i)
		if err != nil {
			return nil, err
		}
		b[i] = v
	}
	first, last, step := b[0], b[1], b[2]
	if step == 0 {
		return nil, failure(c, "the step cannot be 0")
	}
	if n := (last-first)/step + 1; n > maxRangeItems {
		return nil, failure(c, "the range has %d items, more than the %d allowed",
			n, maxRangeItems)
	}
	out := []any{}
	for v := first; (step > 0 && v <= last) || (step < 0 && v >= last); v += step {
		out = append(out, intNumber(v))
	}
	return out, nil
}

// evalArrayGetItem returns the item at an index.
func evalArrayGetItem(_ *Env, c *Call, args []any) (any, error) {
	items, err := arrayArg(c, args, 0)
	if err != nil {
		return nil, err
	}
	i, err := intArg(c, args, 1)
	if err != nil {
		return nil, err
	}
	if i < 0 || i >= int64(len(items)) {
		return nil, failure(c, "index %d is out of bounds for an array of length %d",
			i, len(items))
	}
	return items[i], nil
}

// evalArrayLength returns the number of items of an array.
func evalArrayLength(_ *Env, c *Call, args []any) (any, error) {
	items, err := arrayArg(c, args, 0)
	if err != nil {
		return nil, err
	}
	return intNumber(int64(len(items))), nil
}

// evalArrayUnique removes the items equal to an earlier one.
func evalArrayUnique(_ *Env, c *Call, args []any) (any, error) {
	items, err := arrayArg(c, args, 0)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, it := range items {
		if !containsJSON(out, it) {
			out = append(out, it)
		}
	}
	return out, nil
}

func containsJSON(items []any, v any) bool {
	for _, it := range items {
		if valuesEqual(it, v) {
			return true
		}
	}
	return false
}

// evalJSONMerge merges two objects, shallowly: a member of the second
// replaces the member of the first with the same name.
func evalJSONMerge(_ *Env, c *Call, args []any) (any, error) {
	a, err := objectArg(c, args, 0)
	if err != nil {
		return nil, err
	}
	b, err := objectArg(c, args, 1)
	if err != nil {
		return nil, err
	}
	if deep, ok := args[2].(bool); !ok || deep {
		return nil, failure(c, "only shallow merging is supported: "+
			"argument 3 must be false, but was %s", plainText(args[2]))
	}
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out, nil
}

// evalJSONToString renders a value as compact JSON text.
func evalJSONToString(_ *Env, c *Call, args []any) (any, error) {
	s, err := jsonText(args[0])
	if err != nil {
		return nil, failure(c, "%v", err)
	}
	return s, nil
}

// evalStringToJSON parses a JSON text; a blank text gives null.
func evalStringToJSON(_ *Env, c *Call, args []any) (any, error) {
	s, err := stringArg(c, args, 0)
	if err != nil {
		return nil, err
	}
	if isBlank(s) {
		return nil, nil
	}
	v, err := decodeJSON(s)
	if err != nil {
		return nil, failure(c, "argument 1 is not a JSON text: %s", s)
	}
	return v, nil
}

func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			return false
		}
	}
	return true
}
