package codegen

import (
	"github.com/goccy/go-yaml"

	"github.com/jointlambda/jlgen/ir"
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
// group per unit placed on AWS, the checkpoint table and the blob bucket.
func (g *gen) samTemplate(units []deployUnit) ([]byte, error) {
	ids := map[*ir.Unit]string{}
	for _, d := range units {
		if d.on(cloudAWS) {
			ids[d.unit] = d.id
		}
	}
	resources := yaml.MapSlice{samTableResource(), samBucketResource()}
	for _, d := range units {
		if d.on(cloudAWS) {
			resources = append(resources, samFunction(d), samLogGroup(d),
				g.samRole(d, ids))
		}
	}
	doc := yaml.MapSlice{
		item("AWSTemplateFormatVersion", "2010-09-09"),
		item("Transform", "AWS::Serverless-2016-10-31"),
		item("Description", "The functions of the jlgen workflow "+g.opts.Package),
		item("Parameters", yaml.MapSlice{item(samPrefix, yaml.MapSlice{
			item("Type", "String"),
			item("Default", g.namePrefix()),
			item("AllowedPattern", "^[A-Za-z][A-Za-z0-9-]{0,11}$"),
			item("Description", "The prefix of the functions' names: one per stack"),
		})}),
		item("Globals", yaml.MapSlice{item("Function", yaml.MapSlice{
			item("Runtime", "provided.al2023"),
			item("Handler", "bootstrap"),
			item("Architectures", []string{"arm64"}),
			item("CodeUri", "build/lambda.zip"),
			item("MemorySize", 256),
			item("Timeout", 300),
		})}),
		item("Resources", resources),
		item("Outputs", yaml.MapSlice{
			item("CheckpointTable", yaml.MapSlice{item("Value", ref(samTable))}),
			item("BlobBucket", yaml.MapSlice{item("Value", ref(samBucket))}),
		}),
	}
	header := append(g.headerLines(), "",
		"The AWS SAM template of the workflow's functions placed on the cloud \"aws\".",
		"Build with deploy/build.sh, then: sam deploy -t deploy/template.yaml --guided",
		"Each function may use the checkpoint table and the blob bucket, and may",
		"invoke only the functions of the units its continuation starts.")
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

// samFunction is the Lambda function of a unit.
func samFunction(d deployUnit) yaml.MapItem {
	return item("Fn"+d.id, yaml.MapSlice{
		item("Type", "AWS::Serverless::Function"),
		item("Properties", yaml.MapSlice{
			item("FunctionName", sub(functionName(d.id))),
			item("Role", getAtt("Role"+d.id, "Arn")),
			item("LoggingConfig", yaml.MapSlice{item("LogGroup", ref("Logs"+d.id))}),
			item("Environment", yaml.MapSlice{item("Variables", yaml.MapSlice{
				item("JLGEN_UNIT", d.unit.Name),
				item("JLGEN_TABLE", ref(samTable)),
				item("JLGEN_BUCKET", ref(samBucket)),
				item("JLGEN_FUNCTION_PREFIX", ref(samPrefix)),
			})}),
		}),
	})
}

// samLogGroup is the log group of a unit's function.
func samLogGroup(d deployUnit) yaml.MapItem {
	return item("Logs"+d.id, yaml.MapSlice{
		item("Type", "AWS::Logs::LogGroup"),
		item("Properties", yaml.MapSlice{
			item("LogGroupName", sub("/aws/lambda/"+functionName(d.id))),
			item("RetentionInDays", 14),
		}),
	})
}

// samRole is the execution role of a unit's function: its log group, the
// table, the bucket's objects, and the functions of its successors on
// AWS, named by ARN rather than by reference, which would make a cycle
// between functions that invoke each other.
func (g *gen) samRole(d deployUnit, ids map[*ir.Unit]string) yaml.MapItem {
	statements := []yaml.MapSlice{
		allow([]string{"logs:CreateLogStream", "logs:PutLogEvents"},
			getAtt("Logs"+d.id, "Arn")),
		allow([]string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
			"dynamodb:DeleteItem"}, getAtt(samTable, "Arn")),
		allow([]string{"s3:GetObject", "s3:PutObject"}, sub("${"+samBucket+".Arn}/*")),
	}
	var targets []any
	for _, u := range g.successors(d.unit) {
		if id, ok := ids[u]; ok {
			targets = append(targets, sub(
				"arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"+
					functionName(id)))
		}
	}
	if len(targets) > 0 {
		statements = append(statements, allow([]string{"lambda:InvokeFunction"}, targets...))
	}
	return item("Role"+d.id, yaml.MapSlice{
		item("Type", "AWS::IAM::Role"),
		item("Properties", yaml.MapSlice{
			item("AssumeRolePolicyDocument", yaml.MapSlice{
				item("Version", "2012-10-17"),
				item("Statement", []yaml.MapSlice{{
					item("Effect", "Allow"),
					item("Principal", yaml.MapSlice{item("Service", "lambda.amazonaws.com")}),
					item("Action", "sts:AssumeRole"),
				}}),
			}),
			item("Policies", []yaml.MapSlice{{
				item("PolicyName", "jlgen-unit"),
				item("PolicyDocument", yaml.MapSlice{
					item("Version", "2012-10-17"),
					item("Statement", statements),
				}),
			}}),
		}),
	})
}

// functionName is the Fn::Sub form of the name of a unit's function.
func functionName(id string) string { return "${" + samPrefix + "}-" + id }

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
