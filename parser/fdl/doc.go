// Package fdl parses Alibaba Cloud's workflow definitions into the IR:
// the Serverless Workflow flow format (version v1beta1 or v1, type flow,
// a list of steps) and CloudFlow (Type StateMachine, SpecVersion v1, a
// list of States). It also finds definitions embedded as strings in
// deployment templates: ROS and Aliyun::Serverless::Flow resources
// (Definition, plain or under Fn::Sub or Fn::Replace) and Serverless
// Devs s.yaml files (definition), with every position mapped back to the
// template.
//
// Flow-format steps run in list order and map onto the eight ASL state
// types: task to Task, pass to Pass, choice to Choice, wait to Wait,
// succeed to Succeed, fail to Fail, parallel to Parallel and foreach to
// Map. Each state's successor is the next step of its list unless the
// step is terminal, has end: true, or is a choice; the steps inside a
// choice branch are flattened into the choice's graph and remembered in
// ir.AlibabaFlow.Scope. Alibaba's data-flow rules, which differ from
// ASL's, are kept in ir.AlibabaFlow; expressions are parsed by
// runtime/expr.
//
// Every problem is reported, all at once, as an ir.Diagnostic with the
// file, line and column it was found at.
package fdl
