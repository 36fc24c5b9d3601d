package ir

// AlibabaFlow holds the data-flow rules of a state written in one of the
// Alibaba dialects, whose semantics differ from ASL's.
type AlibabaFlow struct{}

// AlibabaCondition is a choice condition written in an Alibaba dialect.
type AlibabaCondition struct{}
