package expr

import (
	"math"
	mrand "math/rand/v2"
)

// evalMathAdd adds two numbers, each first rounded to an integer.
func evalMathAdd(_ *Env, c *Call, args []any) (any, error) {
	a, err := roundedArg(c, args, 0)
	if err != nil {
		return nil, err
	}
	b, err := roundedArg(c, args, 1)
	if err != nil {
		return nil, err
	}
	return intNumber(a + b), nil
}

// evalMathRandom returns an integer from the start (included) to the end
// (excluded). With a seed the number depends on the seed alone;
// without one it comes from env's source.
func evalMathRandom(env *Env, c *Call, args []any) (any, error) {
	start, err := roundedArg(c, args, 0)
	if err != nil {
		return nil, err
	}
	end, err := roundedArg(c, args, 1)
	if err != nil {
		return nil, err
	}
	if end <= start {
		return nil, failure(c, "the end (%d) must be greater than the start (%d)", end, start)
	}
	r := env.random()
	if len(args) == 3 {
		seed, err := roundedArg(c, args, 2)
		if err != nil {
			return nil, err
		}
		r = mrand.New(mrand.NewPCG(uint64(seed), 0)).Float64()
	}
	return intNumber(start + int64(math.Floor(r*float64(end-start)))), nil
}

// evalUUID returns a version 4 UUID.
func evalUUID(env *Env, c *Call, _ []any) (any, error) {
	id, err := env.uuid()
	if err != nil {
		return nil, failure(c, "%v", err)
	}
	return id, nil
}
