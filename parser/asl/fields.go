package asl

import "github.com/jointlambda/jlgen/ir"

// typeSet is a set of state types, as a bit mask.
type typeSet uint8

const (
	tTask typeSet = 1 << iota
	tPass
	tChoice
	tWait
	tSucceed
	tFail
	tParallel
	tMap

	tAll     = tTask | tPass | tChoice | tWait | tSucceed | tFail | tParallel | tMap
	tNoFail  = tAll &^ tFail
	tFlowing = tTask | tPass | tWait | tParallel | tMap
	tResult  = tTask | tParallel | tMap
)

var typeBits = map[ir.StateType]typeSet{
	ir.TypeTask: tTask, ir.TypePass: tPass, ir.TypeChoice: tChoice, ir.TypeWait: tWait,
	ir.TypeSucceed: tSucceed, ir.TypeFail: tFail, ir.TypeParallel: tParallel, ir.TypeMap: tMap,
}

// mode says in which query language a field may appear.
type mode uint8

const (
	anyMode      mode = iota
	jsonPathOnly      // JSONPath fields that JSONata replaces
	jsonataOnly       // JSONata fields
)

type fieldRule struct {
	types typeSet
	mode  mode
}

// stateFields lists every field a state may have, the state types that
// take it, and the query language it belongs to.
var stateFields = map[string]fieldRule{
	"Type":          {tAll, anyMode},
	"Comment":       {tAll, anyMode},
	"QueryLanguage": {tAll, anyMode},
	"Next":          {tFlowing, anyMode},
	"End":           {tFlowing, anyMode},
	"Assign":        {tNoFail &^ tSucceed, anyMode},
	"Output":        {tNoFail, jsonataOnly},
	"Arguments":     {tTask | tParallel | tMap, jsonataOnly},

	"InputPath":      {tNoFail, jsonPathOnly},
	"OutputPath":     {tNoFail, jsonPathOnly},
	"Parameters":     {tTask | tPass | tParallel | tMap, jsonPathOnly},
	"ResultPath":     {tResult | tPass, jsonPathOnly},
	"ResultSelector": {tResult, jsonPathOnly},
	"Result":         {tPass, jsonPathOnly},
	"Retry":          {tResult, anyMode},
	"Catch":          {tResult, anyMode},

	"Resource":             {tTask, anyMode},
	"TimeoutSeconds":       {tTask, anyMode},
	"TimeoutSecondsPath":   {tTask, jsonPathOnly},
	"HeartbeatSeconds":     {tTask, anyMode},
	"HeartbeatSecondsPath": {tTask, jsonPathOnly},
	"Credentials":          {tTask, anyMode},

	"Choices": {tChoice, anyMode},
	"Default": {tChoice, anyMode},

	"Seconds":       {tWait, anyMode},
	"SecondsPath":   {tWait, jsonPathOnly},
	"Timestamp":     {tWait, anyMode},
	"TimestampPath": {tWait, jsonPathOnly},

	"Error":     {tFail, anyMode},
	"ErrorPath": {tFail, jsonPathOnly},
	"Cause":     {tFail, anyMode},
	"CausePath": {tFail, jsonPathOnly},

	"Branches": {tParallel, anyMode},

	"ItemProcessor":                  {tMap, anyMode},
	"Iterator":                       {tMap, anyMode},
	"ItemsPath":                      {tMap, jsonPathOnly},
	"Items":                          {tMap, jsonataOnly},
	"ItemSelector":                   {tMap, anyMode},
	"MaxConcurrency":                 {tMap, anyMode},
	"MaxConcurrencyPath":             {tMap, jsonPathOnly},
	"ItemReader":                     {tMap, anyMode},
	"ItemBatcher":                    {tMap, anyMode},
	"ResultWriter":                   {tMap, anyMode},
	"ToleratedFailureCount":          {tMap, anyMode},
	"ToleratedFailureCountPath":      {tMap, jsonPathOnly},
	"ToleratedFailurePercentage":     {tMap, anyMode},
	"ToleratedFailurePercentagePath": {tMap, jsonPathOnly},
	"Label":                          {tMap, anyMode},
}

// exclusive lists pairs of fields that a state may not have together.
var exclusive = [][2]string{
	{"Next", "End"},
	{"TimeoutSeconds", "TimeoutSecondsPath"},
	{"HeartbeatSeconds", "HeartbeatSecondsPath"},
	{"Error", "ErrorPath"},
	{"Cause", "CausePath"},
	{"ItemProcessor", "Iterator"},
	{"ItemSelector", "Parameters"},
	{"Items", "ItemsPath"},
	{"MaxConcurrency", "MaxConcurrencyPath"},
	{"ToleratedFailureCount", "ToleratedFailureCountPath"},
	{"ToleratedFailurePercentage", "ToleratedFailurePercentagePath"},
}

// graphFields are the fields of a state machine, a branch or a processor.
var graphFields = map[string]bool{
	"StartAt": true, "States": true, "Comment": true, "QueryLanguage": true,
	"Version": true, "TimeoutSeconds": true, "ProcessorConfig": true,
}
