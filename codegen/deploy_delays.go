package codegen

import (
	"fmt"

	"github.com/goccy/go-yaml"

	"github.com/jointlambda/jlgen/ir"
)

// The logical IDs, names and settings of what the SAM template deploys
// for delayed invocations (runtime.Invoker.InvokeAfter on AWS; see
// shim/aws's LambdaInvoker.InvokeAfter and Relay).
const (
	// samDelays is the standard SQS queue of delays up to 15 minutes, and
	// samDelaysDead its dead-letter queue.
	samDelays     = "Delays"
	samDelaysDead = "DelaysDead"
	// samRelay names the relay's function, role and log group ("Fn",
	// "Role" and "Logs" and it). Every unit identifier starts with its
	// unit's kind (Start, Task, Resume, Branch, Item, Join), so none is
	// "Relay".
	samRelay = "Relay"
	// relayUnit is the JLGEN_UNIT of the relay and, through
	// runtime.FunctionID, its function's name after the prefix. No unit is
	// named so: every unit name but "start" holds a colon.
	relayUnit = "relay"
	// samSchedulerRole is the role EventBridge Scheduler assumes to invoke
	// the target of a delay over 15 minutes.
	samSchedulerRole = "SchedulerRole"

	// relayTimeout is the relay's timeout in seconds: it makes at most a
	// batch of asynchronous Invoke requests, ten at a time.
	relayTimeout = 30
	// relayBatch is the largest batch of messages one relay run receives.
	relayBatch = 10
	// recursiveLoopAllow is the RecursiveLoop of the relay and of the
	// functions that delay: a unit that waits in a loop (a polling Wait,
	// a retried Task) sends the same lineage of events through the queue
	// and the relay round after round, which Lambda's recursive loop
	// detection stops after about 16 rounds unless the functions allow it.
	recursiveLoopAllow = "Allow"
	// delaysVisibility is the queue's visibility timeout: six times the
	// relay's timeout, as AWS recommends for a queue a function consumes,
	// so that a batch whose run is throttled or retried is not delivered
	// twice meanwhile.
	delaysVisibility = 6 * relayTimeout
	// delaysMaxReceives is how often a message is received before it
	// moves to the dead-letter queue.
	delaysMaxReceives = 5
	// delaysRetention keeps a message a day: far more than its longest
	// delay (900 s) and its redeliveries (delaysMaxReceives times the
	// visibility timeout) take.
	delaysRetention = 24 * 60 * 60
	// deadRetention keeps a dead letter 14 days, SQS's longest retention.
	// It must exceed delaysRetention: a standard queue's message keeps
	// its first enqueue time when it moves to the dead-letter queue.
	deadRetention = 14 * 24 * 60 * 60
)

// samFunctionARNPrefix is the Fn::Sub form of the ARN of a function of
// the stack's account and region, without the function's name.
const samFunctionARNPrefix = "arn:${AWS::Partition}:lambda:${AWS::Region}:" +
	"${AWS::AccountId}:function:"

// samScheduleARN is the Fn::Sub form of the ARNs of the schedules
// InvokeAfter creates: in the default group, named by ScheduleName.
const samScheduleARN = "arn:${AWS::Partition}:scheduler:${AWS::Region}:" +
	"${AWS::AccountId}:schedule/default/jlgen-*"

// delayPlan is what the template deploys for the workflow's delays.
type delayPlan struct {
	// targets are the units placed on AWS that some unit, on any cloud,
	// invokes with a delay, in the order of their identifiers: the relay
	// and the scheduler role may invoke their functions.
	targets []deployUnit
	// callers are the units placed on AWS that invoke a unit of targets
	// with a delay: their functions may send to the queue and create
	// schedules.
	callers map[*ir.Unit]bool
	// remote are the units placed on Alibaba that invoke a unit of
	// targets with a delay: their functions in s.yaml are told the queue,
	// the scheduler role and the functions' ARNs.
	remote map[*ir.Unit]bool
}

// needed reports whether the template deploys the queue, the relay and
// the scheduler role: only when some delay's target runs on AWS.
func (p delayPlan) needed() bool { return len(p.targets) > 0 }

// delayPlan finds the delayed invocations among units. An invocation is
// delayed through the target's cloud (runtime's Platform.send uses the
// invoker of the cloud it invokes on), so a delay needs these resources
// when its target is placed on AWS, whatever the caller's cloud.
func (g *gen) delayPlan(units []deployUnit) delayPlan {
	onAWS := map[*ir.Unit]bool{}
	for _, d := range units {
		onAWS[d.unit] = d.on(cloudAWS)
	}
	p := delayPlan{callers: map[*ir.Unit]bool{}, remote: map[*ir.Unit]bool{}}
	targets := map[*ir.Unit]bool{}
	for _, d := range units {
		for _, t := range g.delayTargets(d.unit) {
			if !onAWS[t] {
				continue
			}
			targets[t] = true
			if d.on(cloudAWS) {
				p.callers[d.unit] = true
			}
			if d.on(cloudAliyun) {
				p.remote[d.unit] = true
			}
		}
	}
	for _, d := range units {
		if targets[d.unit] {
			p.targets = append(p.targets, d)
		}
	}
	return p
}

// delayTargets returns the units u can invoke with a delay, in unit
// order. The runtime delays an invocation in two places only, and both
// are exact in the successor walk:
//   - a Wait state: the unit whose continuation enters it invokes the
//     Wait's resume unit after the wait (runtime's Call.Wait). A resume
//     unit is a successor of u only when u's continuation enters its
//     Wait, so the resume units among u's successors are those targets.
//   - a Retry: a Task unit, or the join unit of a Parallel or Map, whose
//     state has a retrier invokes itself again after the backoff
//     (runtime's Call.retry). The walk counts u among its own successors
//     then, but also when a loop leads back to its state, so the retry is
//     told by the state's Retry instead.
func (g *gen) delayTargets(u *ir.Unit) []*ir.Unit {
	retries := (u.Kind == ir.UnitTask || u.Kind == ir.UnitJoin) && u.State != nil &&
		len(u.State.Retry) > 0
	var out []*ir.Unit
	for _, v := range g.successors(u) {
		if v.Kind == ir.UnitResume || v == u && retries {
			out = append(out, v)
		}
	}
	return out
}

// samDelayResources returns the queue, its dead-letter queue, the relay's
// function, log group and role, and the scheduler role; nothing when no
// delay needs them. cross is the plan of a workflow that spans both
// clouds, nil for one that does not.
func samDelayResources(p delayPlan, cross *crossPlan) []yaml.MapItem {
	if !p.needed() {
		return nil
	}
	return []yaml.MapItem{samDelayQueue(), samDeadQueue(), samRelayFunction(cross),
		samRelayLogGroup(), samRelayRole(p), samSchedulerRoleResource(p)}
}

// samDelayQueue is the standard queue that holds delays up to 15 minutes.
func samDelayQueue() yaml.MapItem {
	return item(samDelays, yaml.MapSlice{
		item("Type", "AWS::SQS::Queue"),
		item("Properties", yaml.MapSlice{
			item("MessageRetentionPeriod", delaysRetention),
			item("VisibilityTimeout", delaysVisibility),
			item("RedrivePolicy", yaml.MapSlice{
				item("deadLetterTargetArn", getAtt(samDelaysDead, "Arn")),
				item("maxReceiveCount", delaysMaxReceives),
			}),
		}),
	})
}

// samDeadQueue is the dead-letter queue of the delays the relay could not
// invoke, kept for inspection.
func samDeadQueue() yaml.MapItem {
	return item(samDelaysDead, yaml.MapSlice{
		item("Type", "AWS::SQS::Queue"),
		item("Properties", yaml.MapSlice{item("MessageRetentionPeriod", deadRetention)}),
	})
}

// samRelayFunction is the relay: the units' bootstrap run as the unit
// "relay", which consumes the queue and reports the messages it could not
// invoke as batch item failures.
func samRelayFunction(cross *crossPlan) yaml.MapItem {
	env := append(yaml.MapSlice{item("JLGEN_UNIT", relayUnit)},
		samRelayCrossEnvironment(cross)...)
	return item("Fn"+samRelay, yaml.MapSlice{
		item("Type", "AWS::Serverless::Function"),
		item("Properties", yaml.MapSlice{
			item("FunctionName", sub(relayFunctionName())),
			item("Role", getAtt("Role"+samRelay, "Arn")),
			item("MemorySize", 128),
			item("Timeout", relayTimeout),
			item("RecursiveLoop", recursiveLoopAllow),
			item("LoggingConfig", yaml.MapSlice{item("LogGroup", ref("Logs"+samRelay))}),
			item("Environment", yaml.MapSlice{item("Variables", env)}),
			item("Events", yaml.MapSlice{item(samDelays, yaml.MapSlice{
				item("Type", "SQS"),
				item("Properties", yaml.MapSlice{
					item("Queue", getAtt(samDelays, "Arn")),
					item("BatchSize", relayBatch),
					item("FunctionResponseTypes", []string{"ReportBatchItemFailures"}),
				}),
			})}),
		}),
	})
}

// samRelayLogGroup is the log group of the relay.
func samRelayLogGroup() yaml.MapItem {
	return samLogGroupNamed("Logs"+samRelay, relayFunctionName())
}

// samRelayRole is the relay's execution role: its log group, the
// queue's messages, and the functions of the delays' targets.
func samRelayRole(p delayPlan) yaml.MapItem {
	return samRoleResource("Role"+samRelay, "jlgen-relay", lambdaTrust(), []yaml.MapSlice{
		allow([]string{"logs:CreateLogStream", "logs:PutLogEvents"},
			getAtt("Logs"+samRelay, "Arn")),
		allow([]string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"},
			getAtt(samDelays, "Arn")),
		allow([]string{"lambda:InvokeFunction"}, p.targetARNs()...),
	})
}

// samSchedulerRoleResource is the role EventBridge Scheduler assumes, for
// the schedules of this account only, to invoke the delays' targets.
func samSchedulerRoleResource(p delayPlan) yaml.MapItem {
	trust := yaml.MapSlice{
		item("Effect", "Allow"),
		item("Principal", yaml.MapSlice{item("Service", "scheduler.amazonaws.com")}),
		item("Action", "sts:AssumeRole"),
		item("Condition", yaml.MapSlice{item("StringEquals", yaml.MapSlice{
			item("aws:SourceAccount", ref("AWS::AccountId"))})}),
	}
	return samRoleResource(samSchedulerRole, "jlgen-scheduler", trust, []yaml.MapSlice{
		allow([]string{"lambda:InvokeFunction"}, p.targetARNs()...),
	})
}

// targetARNs are the Fn::Sub ARNs of the targets' functions.
func (p delayPlan) targetARNs() []any {
	out := make([]any, 0, len(p.targets))
	for _, d := range p.targets {
		out = append(out, sub(samFunctionARNPrefix+functionName(d.unit)))
	}
	return out
}

// delayStatements are what a unit that delays may do: send to the queue,
// create the schedules InvokeAfter names, and pass the scheduler role to
// EventBridge Scheduler and to no other service.
func delayStatements() []yaml.MapSlice {
	pass := allow([]string{"iam:PassRole"}, getAtt(samSchedulerRole, "Arn"))
	pass = append(pass, item("Condition", yaml.MapSlice{item("StringEquals",
		yaml.MapSlice{item("iam:PassedToService", "scheduler.amazonaws.com")})}))
	return []yaml.MapSlice{
		allow([]string{"sqs:SendMessage"}, getAtt(samDelays, "Arn")),
		allow([]string{"scheduler:CreateSchedule"}, sub(samScheduleARN)),
		pass,
	}
}

// delayEnvironment is the environment through which a unit's bootstrap
// configures its invoker's delays (shim/aws's DelayOptions): the queue's
// URL, the scheduler role's ARN, and the prefix that makes a function's
// name its ARN.
func delayEnvironment() []yaml.MapItem {
	return []yaml.MapItem{
		item("JLGEN_DELAY_QUEUE", ref(samDelays)),
		item("JLGEN_SCHEDULER_ROLE", getAtt(samSchedulerRole, "Arn")),
		item("JLGEN_FUNCTION_ARN_PREFIX", sub(samFunctionARNPrefix)),
	}
}

// samDelayOutputs are the queue's URL and the scheduler role's ARN, which
// a unit on another cloud that delays a unit on AWS is configured with.
func samDelayOutputs(p delayPlan) []yaml.MapItem {
	if !p.needed() {
		return nil
	}
	return []yaml.MapItem{
		item("DelayQueue", yaml.MapSlice{item("Value", ref(samDelays))}),
		item("SchedulerRoleArn", yaml.MapSlice{item("Value", getAtt(samSchedulerRole, "Arn"))}),
	}
}

// delayHeader explains the delay resources, and their costs, in the
// template's header.
func delayHeader(p delayPlan) []string {
	if !p.needed() {
		return []string{"No unit placed on aws is the target of a Wait or a Retry, so the",
			"template has no delay queue, relay or scheduler role."}
	}
	return []string{
		"Delays (a Wait state, a Retry's backoff) take the cheapest route for their",
		"length. Under 2 s the calling function sleeps: billed function time. Up to",
		"15 minutes it sends a message to the SQS queue Delays (billed per request,",
		"about three a delay); the function " + relayUnit + " (FnRelay) receives it when due",
		"and invokes the target (one short invocation per batch); a message it fails",
		fmt.Sprintf("to invoke %d times moves to DelaysDead. Longer delays are EventBridge",
			delaysMaxReceives),
		"Scheduler one-time schedules (billed per scheduled invocation), which invoke",
		"the target as the role SchedulerRole. Only functions that delay may send to",
		"the queue or create schedules; the relay and SchedulerRole may invoke only",
		"the functions that delays start. A workflow that waits in a loop passes",
		"through the queue again and again, which Lambda's recursive loop detection",
		"would stop after some 16 rounds: the relay and the functions that delay",
		"allow it (RecursiveLoop: Allow).",
	}
}
