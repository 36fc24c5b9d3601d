package expr

import (
	"crypto/rand"
	"encoding/hex"
	mrand "math/rand/v2"
)

// Env is what an expression is evaluated against: the state's input, the
// context object, the workflow variables, and for JSONata the other
// members of $states. The zero Env is an empty input.
//
// The sources of non-deterministic values can be replaced, so that a
// run can be repeated: the execution protocol fixes them before it writes
// a checkpoint. When Random or UUID is nil, the evaluators draw fresh
// values (math/rand/v2 and crypto/rand).
type Env struct {
	// Input is the value "$" names in JSONPath mode and $states.input in
	// JSONata mode.
	Input any
	// Context is the context object: "$$" and $states.context.
	Context any
	// Vars are the workflow variables, "$name" in JSONPath mode and
	// JSONata alike.
	Vars map[string]any

	// Result is $states.result, set when HasResult is true: the result
	// of a Task, Parallel or Map state, for its Output and Assign.
	Result    any
	HasResult bool
	// ErrorOutput is $states.errorOutput, set when HasErrorOutput is
	// true: the error a Catch caught, for the catcher's Output and Assign.
	ErrorOutput    any
	HasErrorOutput bool

	// Random returns a number in [0, 1) for States.MathRandom without a
	// seed. A seeded call is repeatable and does not use it.
	Random func() float64
	// UUID returns a version 4 UUID for States.UUID.
	// Not yet: JSONata's $random and $uuid keep their own sources; these two do not reach them.
	UUID func() string
}

// root returns the value a path starts from, and false for a variable
// that is not defined.
func (env *Env) root(p *Path) (any, bool) {
	switch p.Root() {
	case RootContext:
		return env.Context, true
	case RootVariable:
		v, ok := env.Vars[p.Variable()]
		return v, ok
	}
	return env.Input, true
}

// lookup returns the value a path selects, as Path.Get does, and false
// when it selects nothing.
func (env *Env) lookup(p *Path) (any, bool) {
	root, ok := env.root(p)
	if !ok {
		return nil, false
	}
	return p.Get(root)
}

// random returns the next number of the injected or default source.
func (env *Env) random() float64 {
	if env.Random != nil {
		return env.Random()
	}
	return mrand.Float64()
}

// uuid returns the injected or a fresh random UUID.
func (env *Env) uuid() (string, error) {
	if env.UUID != nil {
		return env.UUID(), nil
	}
	return randomUUID()
}

// randomUUID returns a version 4 UUID from crypto/rand.
func randomUUID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	x := hex.EncodeToString(b[:])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:], nil
}

// statesVar returns the value of $states for a JSONata expression.
func (env *Env) statesVar() map[string]any {
	s := map[string]any{"input": env.Input, "context": env.Context}
	if env.HasResult {
		s["result"] = env.Result
	}
	if env.HasErrorOutput {
		s["errorOutput"] = env.ErrorOutput
	}
	return s
}

// jsonataVars returns the variables of a JSONata expression: the
// workflow variables and $states.
func (env *Env) jsonataVars() map[string]any {
	vars := make(map[string]any, len(env.Vars)+1)
	for k, v := range env.Vars {
		vars[k] = v
	}
	vars[StatesVariable] = env.statesVar()
	return vars
}
