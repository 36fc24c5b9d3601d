package runtime

import "fmt"

// StateError is an error with an ASL error name, such as States.Runtime or
// a name a task raised, and its cause. Retry and Catch match on Name.
type StateError struct {
	Name  string
	Cause string
}

func (e *StateError) Error() string {
	if e.Cause == "" {
		return e.Name
	}
	return e.Name + ": " + e.Cause
}

// NoChoiceMatched is the error of a Choice state none of whose rules
// matched and that has no Default.
func NoChoiceMatched(s *State) error {
	return &StateError{Name: "States.NoChoiceMatched",
		Cause: fmt.Sprintf("No Matches! in state '%s'", s.Name)}
}

// UnknownState is the error of a state whose type the runtime cannot run.
func UnknownState(s *State) error {
	return &StateError{Name: "States.Runtime",
		Cause: fmt.Sprintf("state %q has unknown type %q", s.Name, s.Type)}
}
