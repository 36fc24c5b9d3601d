package codegen

import (
	"github.com/goccy/go-yaml"

	"github.com/jointlambda/jlgen/config"
	"github.com/jointlambda/jlgen/internal/grants"
	"github.com/jointlambda/jlgen/ir"
	jlrt "github.com/jointlambda/jlgen/runtime"
)

// The logical IDs of the template's shared resources. A unit's resources
// are named "Fn", "Role" or "Logs" and its identifier, which keeps every
// logical ID distinct from every other.
const (
	samTable  = "Checkpoints"
	samBucket = "Blobs"
	samPrefix = "NamePrefix"
)

// samTemplate writes deploy/template.yaml: one function, role and log
// group per unit placed on AWS, the checkpoint table and the blob bucket,
// and, when some delay's target runs on AWS, the delay queue, the relay
// and the scheduler role (see delayPlan).
func (g *gen) samTemplate(units []deployUnit) ([]byte, error) {
	ids := map[*ir.Unit]string{}
	for _, d := range units {
		if d.on(cloudAWS) {
			ids[d.unit] = d.id
		}
	}
	delays := g.delayPlan(units)
	cross, err := g.crossPlan(units)
	if err != nil {
		return nil, err
	}
	// With a redis store, the functions keep their records at its address
	// in the embedded config, and the template has no table.
	redisAddress, table := g.redisStore(cloudAWS, config.ProviderAWS)
	table = !table
	var resources, outputs yaml.MapSlice
	if table {
		resources = append(resources, samTableResource())
		outputs = append(outputs, item("CheckpointTable", yaml.MapSlice{
			item("Value", ref(samTable))}))
	}
	resources = append(resources, samBucketResource())
	resources = append(resources, samDelayResources(delays, cross)...)
	for _, d := range units {
		if d.on(cloudAWS) {
			delaying := delays.callers[d.unit]
			resources = append(resources, samFunction(d, delaying, table, cross),
				samLogGroup(d), g.samRole(d, ids, delaying, table))
		}
	}
	outputs = append(outputs, item("BlobBucket", yaml.MapSlice{item("Value", ref(samBucket))}))
	outputs = append(outputs, samDelayOutputs(delays)...)
	doc := yaml.MapSlice{
		item("AWSTemplateFormatVersion", "2010-09-09"),
		item("Transform", "AWS::Serverless-2016-10-31"),
		item("Description", "The functions of the jlgen workflow "+g.opts.Package),
		item("Parameters", append(yaml.MapSlice{item(samPrefix, yaml.MapSlice{
			item("Type", "String"),
			item("Default", g.namePrefix()),
			item("AllowedPattern", "^[A-Za-z][A-Za-z0-9-]{0,11}$"),
			item("Description", "The prefix of the functions' names: one per stack"),
		})}, g.samCrossParameters(cross)...)),
		item("Globals", yaml.MapSlice{item("Function", yaml.MapSlice{
			item("Runtime", "provided.al2023"),
			item("Handler", "bootstrap"),
			item("Architectures", []string{"arm64"}),
			item("CodeUri", "build/lambda.zip"),
			item("MemorySize", 256),
			item("Timeout", 300),
		})}),
		item("Resources", resources),
		item("Outputs", outputs),
	}
	header := append(g.headerLines(), "",
		"The AWS SAM template of the workflow's functions placed on the cloud \"aws\".",
		"Build with deploy/build.sh, then: sam deploy -t deploy/template.yaml --guided")
	if table {
		header = append(header, wrapText("Each function may use the checkpoint table and "+
			"the blob bucket, and may invoke only the functions of the units its "+
			"continuation starts and the Lambda function its Task state calls.")...)
	} else {
		header = append(header, wrapText("Each function keeps its records in the redis "+
			"store at "+redisAddress+" (jlgen.yaml; JLGEN_AWS_STORE_ADDRESS overrides it), "+
			"which it must reach: give the functions the VpcConfig of the store's network, "+
			"with routes to Lambda and S3. Each may use the blob bucket, and may invoke "+
			"only the functions of the units its continuation starts and the Lambda "+
			"function its Task state calls.")...)
	}
	if states := unnamedTaskFunctions(units); len(states) > 0 {
		header = append(header, wrapText(unnamedHeader(states))...)
	}
	header = append(header, "")
	header = append(header, delayHeader(delays)...)
	header = append(header, samCrossHeader(cross, callsResource(units, cloudAWS,
		ir.ResourceFC))...)
	return yamlFile(header, doc)
}

// samTableResource is the checkpoint table: partition key "k", expiry in
// the attribute "ttl".
func samTableResource() yaml.MapItem {
	return item(samTable, yaml.MapSlice{
		item("Type", "AWS::DynamoDB::Table"),
		item("Properties", yaml.MapSlice{
			item("BillingMode", "PAY_PER_REQUEST"),
			item("AttributeDefinitions", []yaml.MapSlice{{
				item("AttributeName", "k"), item("AttributeType", "S")}}),
			item("KeySchema", []yaml.MapSlice{{
				item("AttributeName", "k"), item("KeyType", "HASH")}}),
			item("TimeToLiveSpecification", yaml.MapSlice{
				item("AttributeName", "ttl"), item("Enabled", true)}),
		}),
	})
}

// samBucketResource is the bucket of payloads too large to travel inline.
func samBucketResource() yaml.MapItem {
	return item(samBucket, yaml.MapSlice{
		item("Type", "AWS::S3::Bucket"),
		item("Properties", yaml.MapSlice{
			item("PublicAccessBlockConfiguration", yaml.MapSlice{
				item("BlockPublicAcls", true), item("BlockPublicPolicy", true),
				item("IgnorePublicAcls", true), item("RestrictPublicBuckets", true),
			}),
			item("LifecycleConfiguration", yaml.MapSlice{item("Rules", []yaml.MapSlice{{
				item("Id", "expire-blobs"), item("Status", "Enabled"),
				item("ExpirationInDays", 30),
			}})}),
		}),
	})
}

// samFunction is the Lambda function of a unit, told of the checkpoint
// table when there is one (table); one that delays also gets the settings
// of the delay routes and may run in a recursive loop, and every one of a workflow that spans both clouds
// those of the cloud "aliyun" (cross, nil otherwise).
func samFunction(d deployUnit, delays, table bool, cross *crossPlan) yaml.MapItem {
	env := yaml.MapSlice{item("JLGEN_UNIT", d.unit.Name)}
	if table {
		env = append(env, item("JLGEN_TABLE", ref(samTable)))
	}
	env = append(env,
		item("JLGEN_BUCKET", ref(samBucket)),
		item("JLGEN_FUNCTION_PREFIX", ref(samPrefix)),
	)
	if delays {
		env = append(env, delayEnvironment()...)
	}
	env = append(env, samCrossEnvironment(cross)...)
	props := yaml.MapSlice{
		item("FunctionName", sub(functionName(d.unit))),
		item("Role", getAtt("Role"+d.id, "Arn")),
	}
	if delays {
		props = append(props, item("RecursiveLoop", recursiveLoopAllow))
	}
	props = append(props,
		item("LoggingConfig", yaml.MapSlice{item("LogGroup", ref("Logs"+d.id))}),
		item("Environment", yaml.MapSlice{item("Variables", env)}))
	return item("Fn"+d.id, yaml.MapSlice{
		item("Type", "AWS::Serverless::Function"),
		item("Properties", props),
	})
}

// samLogGroup is the log group of a unit's function.
func samLogGroup(d deployUnit) yaml.MapItem {
	return samLogGroupNamed("Logs"+d.id, functionName(d.unit))
}

// samLogGroupNamed is the log group, two weeks long, of the function
// whose name is the Fn::Sub form function.
func samLogGroupNamed(id, function string) yaml.MapItem {
	return item(id, yaml.MapSlice{
		item("Type", "AWS::Logs::LogGroup"),
		item("Properties", yaml.MapSlice{
			item("LogGroupName", sub("/aws/lambda/"+function)),
			item("RetentionInDays", 14),
		}),
	})
}

// samRole is the execution role of a unit's function: its log group, the
// table when there is one (table), the bucket's objects, and the
// functions of its successors on AWS, named by ARN rather than by
// reference, which would make a cycle between functions that invoke each
// other; and, for a unit that delays, the delay routes (delayStatements).
func (g *gen) samRole(d deployUnit, ids map[*ir.Unit]string,
	delays, table bool) yaml.MapItem {
	statements := []yaml.MapSlice{
		allow([]string{"logs:CreateLogStream", "logs:PutLogEvents"},
			getAtt("Logs"+d.id, "Arn")),
	}
	if table {
		statements = append(statements, allow(grants.DynamoDB, getAtt(samTable, "Arn")))
	}
	statements = append(statements, allow(grants.S3, sub("${"+samBucket+".Arn}/*")))
	var targets []any
	for _, u := range g.successors(d.unit) {
		if _, ok := ids[u]; ok {
			targets = append(targets, sub(samFunctionARNPrefix+functionName(u)))
		}
	}
	if len(targets) > 0 {
		statements = append(statements, allow([]string{"lambda:InvokeFunction"}, targets...))
	}
	if calls, _ := taskFunctions(d.unit); len(calls) > 0 {
		statements = append(statements, allow([]string{"lambda:InvokeFunction"}, calls...))
	}
	if delays {
		statements = append(statements, delayStatements()...)
	}
	return samRoleResource("Role"+d.id, "jlgen-unit", lambdaTrust(), statements)
}

// samRoleResource is a role that the principal of trust, one statement,
// may assume, with one inline policy of statements. The policy is inline
// so that it exists as soon as the role does: an SQS event source mapping
// is checked against its function's role when it is created.
func samRoleResource(id, policy string, trust yaml.MapSlice,
	statements []yaml.MapSlice) yaml.MapItem {
	return item(id, yaml.MapSlice{
		item("Type", "AWS::IAM::Role"),
		item("Properties", yaml.MapSlice{
			item("AssumeRolePolicyDocument", yaml.MapSlice{
				item("Version", "2012-10-17"),
				item("Statement", []yaml.MapSlice{trust}),
			}),
			item("Policies", []yaml.MapSlice{{
				item("PolicyName", policy),
				item("PolicyDocument", yaml.MapSlice{
					item("Version", "2012-10-17"),
					item("Statement", statements),
				}),
			}}),
		}),
	})
}

// lambdaTrust lets Lambda assume a role, for a function's execution.
func lambdaTrust() yaml.MapSlice {
	return yaml.MapSlice{
		item("Effect", "Allow"),
		item("Principal", yaml.MapSlice{item("Service", "lambda.amazonaws.com")}),
		item("Action", "sts:AssumeRole"),
	}
}

// functionName is the Fn::Sub form of the name of a unit's function: the
// name the runtime's invokers look the unit up by.
func functionName(u *ir.Unit) string {
	return "${" + samPrefix + "}-" + jlrt.FunctionID(u.Name)
}

// relayFunctionName is the Fn::Sub form of the relay's function's name,
// made as a unit's is.
func relayFunctionName() string {
	return "${" + samPrefix + "}-" + jlrt.FunctionID(relayUnit)
}

// allow is a policy statement that allows actions on resources.
func allow(actions []string, resources ...any) yaml.MapSlice {
	return yaml.MapSlice{item("Effect", "Allow"), item("Action", actions),
		item("Resource", resources)}
}

func ref(name string) yaml.MapSlice { return yaml.MapSlice{item("Ref", name)} }

func sub(s string) yaml.MapSlice { return yaml.MapSlice{item("Fn::Sub", s)} }

func getAtt(name, attr string) yaml.MapSlice {
	return yaml.MapSlice{item("Fn::GetAtt", []string{name, attr})}
}
