// Package local is the embedded jointcloud: several named clouds in one
// process, each with its own store and invoker, and a virtual clock.
//
// Invocations are events on the virtual clock, run one at a time in time
// order (ties in the order they were sent), so that a simulation runs as
// fast as the handlers do and gives the same history and the same
// figures on every run. Latency within and between clouds is a model,
// not a sleep.
package local
