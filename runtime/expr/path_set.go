package expr

import "fmt"

// Set writes v into *root at the place a definite path names, as a
// ResultPath does: objects on the way that do not exist are created, and
// the value that stood there is replaced. The path "$" replaces *root.
func (p *Path) Set(root *any, v any) error {
	if !p.IsDefinite() || p.root != RootInput {
		return fmt.Errorf("%s is not a reference path", p.src)
	}
	return setSteps(root, p.steps, v)
}

func setSteps(cur *any, steps []step, v any) error {
	if len(steps) == 0 {
		*cur = v
		return nil
	}
	st := steps[0]
	switch st.kind {
	case stepField:
		obj, ok := (*cur).(map[string]any)
		if !ok {
			if *cur != nil {
				return fmt.Errorf("cannot set field %q of a non-object", st.names[0])
			}
			obj = map[string]any{}
			*cur = obj
		}
		child := obj[st.names[0]]
		if err := setSteps(&child, steps[1:], v); err != nil {
			return err
		}
		obj[st.names[0]] = child
		return nil
	case stepIndex:
		arr, ok := (*cur).([]any)
		i := st.indexes[0]
		if i < 0 && ok {
			i += len(arr)
		}
		if !ok || i < 0 || i >= len(arr) {
			return fmt.Errorf("index %d is out of range", st.indexes[0])
		}
		return setSteps(&arr[i], steps[1:], v)
	}
	return fmt.Errorf("cannot set through a %v step", st.kind)
}
