package config

import (
	"slices"

	"github.com/jointlambda/jlgen/ir"
)

// Placement returns the cloud the named state is placed on and the clouds
// to try, in order, when invoking its function: the placed cloud first,
// then the others in failover order.
func (c *Config) Placement(state string) (cloud string, failover []string) {
	cloud = c.DefaultCloud
	if to, ok := c.StateClouds[state]; ok {
		cloud = to
	}
	failover = []string{cloud}
	for _, other := range c.Failover {
		if other != cloud {
			failover = append(failover, other)
		}
	}
	return cloud, failover
}

// Check reports every state named under placement.states that is not one
// of stateNames, the states of the workflow being converted, so that a
// misspelt name does not silently leave a state on the default cloud. The
// error is an ir.Diagnostics.
func (c *Config) Check(stateNames []string) error {
	var ds ir.Diagnostics
	for _, state := range sortedKeys(c.StateClouds) {
		if slices.Contains(stateNames, state) {
			continue
		}
		pos := c.pos[keyPath("placement.states."+state)]
		ds = append(ds, ir.Errorf(c.file, pos, "placement.states: the workflow has no state %q%s",
			state, suggest(state, stateNames)))
	}
	if len(ds) == 0 {
		return nil
	}
	ds.Sort()
	return ds
}
