// Package grants names the cloud API actions that the generated functions
// call on their stores and blob stores, as the deployment files grant
// them: codegen writes them into the SAM template's roles and the
// s.yaml's instructions, and the tests of each shim check that its store
// and blob store call exactly these, so that a policy neither misses an
// action nor allows one more.
package grants

// DynamoDB is what a DynamoStore calls on its table.
var DynamoDB = []string{
	"dynamodb:GetItem",
	"dynamodb:PutItem",
	"dynamodb:UpdateItem",
	"dynamodb:BatchGetItem",
}

// S3 is what the S3 blob store calls on its bucket's objects.
var S3 = []string{"s3:GetObject", "s3:PutObject"}

// TableStore is what a TableStore store calls on its table.
var TableStore = []string{
	"ots:GetRow",
	"ots:PutRow",
	"ots:UpdateRow",
	"ots:BatchGetRow",
}

// OSS is what the OSS blob store calls on its bucket's objects.
var OSS = []string{"oss:GetObject", "oss:PutObject"}
