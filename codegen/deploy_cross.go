package codegen

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/jointlambda/jlgen/config"
	"github.com/jointlambda/jlgen/internal/grants"
)

// The parameters of the SAM template that tell its functions where the
// workflow's other cloud, "aliyun", keeps its records and its functions.
const (
	samAliyunKeyID    = "AliyunAccessKeyId"
	samAliyunSecret   = "AliyunAccessKeySecret"
	samAliyunAccount  = "AliyunAccountId"
	samAliyunRegion   = "AliyunRegion"
	samAliyunPrefix   = "AliyunPrefix"
	samAliyunInstance = "AliyunTableStoreInstance"
	samAliyunTable    = "AliyunTableStoreTable"
	samAliyunAddress  = "AliyunRedisAddress"
	samAliyunBucket   = "AliyunOssBucket"
)

// The defaults of deploy/s.yaml's vars, which the SAM template's Aliyun
// parameters default to as well, so that both files deployed as written
// agree on the names.
const (
	sdevsRegion = "cn-hangzhou"
	sdevsTable  = "checkpoints"
	// sdevsRole is vars.role as written: a placeholder that the deployer
	// replaces with the ARN of the functions' RAM role, and that Function
	// Compute refuses as it stands, so that no function is deployed
	// without credentials.
	sdevsRole = "acs:ram::<account ID>:role/<role name>"
	// awsRegion is vars.aws.region when the config names no region for
	// the cloud "aws".
	awsRegion = "us-east-1"
)

// crossPlan is what the deployment files add when the workflow spans
// both clouds: each function builds every cloud of the config, so a
// function on one cloud must be told where the other keeps its store,
// its blobs and its functions, and with what credentials to reach them.
type crossPlan struct {
	// aws and aliyun are the config's clouds of those names, or their
	// providers' defaults when the config does not name them.
	aws, aliyun *config.Cloud
}

// crossPlan returns the plan of a workflow whose units run on both
// clouds, nil for one that runs on one cloud only, whose deployment files
// then hold nothing of the other. It fails when the config cannot be
// read, or when it runs a cloud the deployment files deploy on another
// provider than theirs.
func (g *gen) crossPlan(units []deployUnit) (*crossPlan, error) {
	var aws, aliyun bool
	for _, d := range units {
		aws = aws || d.on(cloudAWS)
		aliyun = aliyun || d.on(cloudAliyun)
	}
	if !aws || !aliyun {
		return nil, nil
	}
	cfg := config.Default()
	if g.opts.Config != "" {
		var err error
		if cfg, err = config.Parse("jlgen.yaml", []byte(g.opts.Config)); err != nil {
			return nil, fmt.Errorf("read the config: %w", err)
		}
	}
	p := &crossPlan{}
	var err error
	if p.aws, err = deployedCloud(cfg, cloudAWS, config.ProviderAWS,
		config.StoreDynamoDB); err != nil {
		return nil, err
	}
	if p.aliyun, err = deployedCloud(cfg, cloudAliyun, config.ProviderAliyun,
		config.StoreTableStore); err != nil {
		return nil, err
	}
	return p, nil
}

// deployedCloud returns the cloud name of cfg, which the deployment files
// deploy on provider, or a cloud of that provider with the store of kind
// store when cfg does not name it.
func deployedCloud(cfg *config.Config, name string, provider config.Provider,
	store config.StoreKind) (*config.Cloud, error) {
	cl := cfg.Clouds[name]
	if cl == nil {
		return &config.Cloud{Provider: provider, Store: config.Store{Kind: store}}, nil
	}
	if cl.Provider != provider {
		return nil, fmt.Errorf("the config runs the cloud %q on %q, but the deployment "+
			"files deploy it on %q", name, cl.Provider, provider)
	}
	return cl, nil
}

// redisStore returns the address of the redis store that the config gives
// the cloud name, which the deployment files deploy on provider, and
// whether it gives it one: its functions then keep their records there
// and need no table. A config that cannot be read gives none; crossPlan
// and the placement report it.
func (g *gen) redisStore(name string, provider config.Provider) (string, bool) {
	if g.opts.Config == "" {
		return "", false
	}
	cfg, err := config.Parse("jlgen.yaml", []byte(g.opts.Config))
	if err != nil {
		return "", false
	}
	cl := cfg.Clouds[name]
	if cl == nil || cl.Provider != provider || !redis(cl) {
		return "", false
	}
	return cl.Store.Address, true
}

// redis reports whether a cloud's records live in a redis store, whose
// address the other cloud's functions are told instead of a table.
func redis(cl *config.Cloud) bool { return cl.Store.Kind == config.StoreRedis }

// cloudVariable names the variable through which shim/cloud overrides
// setting key of the cloud named name: JLGEN_<NAME>_<KEY>.
func cloudVariable(name, key string) string {
	return "JLGEN_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")) + "_" + key
}

// sdevsInstance is the default of s.yaml's vars.tablestore.instance.
func (g *gen) sdevsInstance() string { return g.namePrefix() }

// sdevsBucket is the default of s.yaml's vars.oss.bucket.
func (g *gen) sdevsBucket() string { return g.namePrefix() + "-blobs" }

// samCrossParameters are the template's parameters for the cloud
// "aliyun": the credentials its functions act with there, the account and
// region of Function Compute, and the names deploy/s.yaml gives its
// functions, store and bucket.
func (g *gen) samCrossParameters(p *crossPlan) []yaml.MapItem {
	if p == nil {
		return nil
	}
	secret := func(what string) yaml.MapSlice {
		return yaml.MapSlice{item("Type", "String"), item("NoEcho", true),
			item("MinLength", 1), item("Description", what)}
	}
	named := func(def, what string) yaml.MapSlice {
		return yaml.MapSlice{item("Type", "String"), item("Default", def),
			item("MinLength", 1), item("Description", what)}
	}
	params := []yaml.MapItem{
		item(samAliyunKeyID, secret("The AccessKey ID of the RAM user the functions "+
			"act as on Alibaba Cloud")),
		item(samAliyunSecret, secret("The AccessKey secret of that RAM user")),
		item(samAliyunAccount, yaml.MapSlice{item("Type", "String"),
			item("AllowedPattern", "^[0-9]+$"),
			item("Description", "The Alibaba Cloud account ID of Function Compute")}),
		item(samAliyunRegion, named(sdevsRegion, "The region of Function Compute "+
			"(vars.region of deploy/s.yaml)")),
		item(samAliyunPrefix, named(g.namePrefix(), "The prefix of the names of the "+
			"functions on Function Compute (vars.prefix of deploy/s.yaml)")),
	}
	if redis(p.aliyun) {
		params = append(params, item(samAliyunAddress, named(p.aliyun.Store.Address,
			"The host:port of the redis store of the cloud aliyun")))
	} else {
		params = append(params,
			item(samAliyunInstance, named(g.sdevsInstance(), "The TableStore instance "+
				"of the checkpoints (vars.tablestore.instance of deploy/s.yaml)")),
			item(samAliyunTable, named(sdevsTable, "The TableStore table of the "+
				"checkpoints (vars.tablestore.table of deploy/s.yaml)")))
	}
	return append(params, item(samAliyunBucket, named(g.sdevsBucket(),
		"The OSS bucket of large payloads (vars.oss.bucket of deploy/s.yaml)")))
}

// samCrossEnvironment is what a unit's function on AWS is told of the
// cloud "aliyun" (see package shim/cloud): the credentials and Function
// Compute endpoint, the functions' prefix, the store and the bucket. A
// TableStore is reached by its public endpoint, the one a function
// outside Alibaba Cloud can reach whatever endpoint the config gives the
// functions inside it.
func samCrossEnvironment(p *crossPlan) []yaml.MapItem {
	if p == nil {
		return nil
	}
	env := []yaml.MapItem{
		item("ALIBABA_CLOUD_ACCESS_KEY_ID", ref(samAliyunKeyID)),
		item("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ref(samAliyunSecret)),
		item("FC_ACCOUNT_ID", ref(samAliyunAccount)),
		item("FC_REGION", ref(samAliyunRegion)),
		item(cloudVariable(cloudAliyun, "FUNCTION_PREFIX"), ref(samAliyunPrefix)),
	}
	if redis(p.aliyun) {
		env = append(env, item(cloudVariable(cloudAliyun, "STORE_ADDRESS"),
			ref(samAliyunAddress)))
	} else {
		env = append(env,
			item(cloudVariable(cloudAliyun, "STORE_ENDPOINT"), sub("https://${"+
				samAliyunInstance+"}.${"+samAliyunRegion+"}.ots.aliyuncs.com")),
			item(cloudVariable(cloudAliyun, "STORE_INSTANCE"), ref(samAliyunInstance)),
			item(cloudVariable(cloudAliyun, "STORE_TABLE"), ref(samAliyunTable)))
	}
	return append(env, item(cloudVariable(cloudAliyun, "BLOBS_BUCKET"), ref(samAliyunBucket)))
}

// samRelayCrossEnvironment is what the relay is told of the cloud
// "aliyun": it only invokes functions on AWS, but its bootstrap builds
// every cloud, and Function Compute's endpoint needs an account and a
// region. It gets no credentials.
func samRelayCrossEnvironment(p *crossPlan) []yaml.MapItem {
	if p == nil {
		return nil
	}
	return []yaml.MapItem{item("FC_ACCOUNT_ID", ref(samAliyunAccount)),
		item("FC_REGION", ref(samAliyunRegion))}
}

// samCrossHeader explains the Aliyun parameters in the template's header;
// fcTasks tells whether a function of the template runs a Task state that
// calls a Function Compute function.
func samCrossHeader(p *crossPlan, fcTasks bool) []string {
	if p == nil {
		return nil
	}
	names := "the names deploy/s.yaml gives the functions, the TableStore table and " +
		"the OSS bucket (its vars)"
	allowed := actionList(grants.TableStore) + " on the table, "
	if redis(p.aliyun) {
		names = "the names deploy/s.yaml gives the functions and the OSS bucket (its " +
			"vars), the address of the redis store"
		allowed = ""
	}
	allowed += actionList(grants.OSS) + " on the bucket's objects and fc:InvokeFunction " +
		"on those functions"
	if fcTasks {
		allowed += " and on those the Task states call"
	}
	return append([]string{""}, wrapText(crossIntro+"Alibaba Cloud, through the "+
		"Aliyun* parameters. They name the account and region of Function Compute, "+
		names+", and the AccessKey of a RAM user allowed just "+allowed+". NoEcho keeps the key out of the console and of the API's "+
		"answers, but not out of the functions' configuration: rather keep it in a "+
		"secret store, such as AWS Secrets Manager, and pass it in with a dynamic "+
		"reference.")...)
}

// crossIntro starts the header paragraph of a workflow that spans both
// clouds, in either deployment file.
const crossIntro = "The workflow spans the clouds \"aws\" and \"aliyun\" (by placement or " +
	"failover), and a unit's records live in the store of the cloud it is placed on, " +
	"whichever cloud runs it: so these functions also reach "

// headerWidth is the width the header paragraphs are wrapped to.
const headerWidth = 78

// wrapText breaks text into lines of at most headerWidth bytes, between
// words; a longer word has a line of its own.
func wrapText(text string) []string {
	var lines []string
	var line strings.Builder
	for _, word := range strings.Fields(text) {
		if line.Len() > 0 && line.Len()+1+len(word) > headerWidth {
			lines = append(lines, line.String())
			line.Reset()
		}
		if line.Len() > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(word)
	}
	if line.Len() > 0 {
		lines = append(lines, line.String())
	}
	return lines
}

// sdevsCrossVars is vars.aws of s.yaml: where the cloud "aws" keeps its
// store, its blobs and its functions, from the outputs of the SAM stack;
// with the delay routes when some function of s.yaml delays a unit on
// AWS. The values the stack decides are placeholders to replace.
func (g *gen) sdevsCrossVars(p *crossPlan, delays bool) yaml.MapItem {
	region := p.aws.Region
	if region == "" {
		region = awsRegion
	}
	vars := yaml.MapSlice{item("region", region), item("prefix", g.namePrefix())}
	if redis(p.aws) {
		vars = append(vars, item("storeAddress", p.aws.Store.Address))
	} else {
		vars = append(vars, item("table", "<output CheckpointTable>"))
	}
	vars = append(vars, item("bucket", "<output BlobBucket>"))
	if delays {
		vars = append(vars, item("delayQueue", "<output DelayQueue>"),
			item("schedulerRole", "<output SchedulerRoleArn>"),
			item("functionArnPrefix", "arn:aws:lambda:"+region+":<account ID>:function:"))
	}
	return item("aws", vars)
}

// sdevsCrossEnvironment is what a unit's function on Function Compute is
// told of the cloud "aws" (see package shim/cloud): the deployer's AWS
// credentials, read from the environment of s deploy, the region, the
// functions' prefix, the store and the bucket; and, when the unit delays
// a unit on AWS, the delay routes of its Lambda invoker.
func sdevsCrossEnvironment(p *crossPlan, delays bool) []yaml.MapItem {
	if p == nil {
		return nil
	}
	env := []yaml.MapItem{
		item("AWS_REGION", "${vars.aws.region}"),
		item("AWS_ACCESS_KEY_ID", "${env('AWS_ACCESS_KEY_ID')}"),
		item("AWS_SECRET_ACCESS_KEY", "${env('AWS_SECRET_ACCESS_KEY')}"),
		item(cloudVariable(cloudAWS, "FUNCTION_PREFIX"), "${vars.aws.prefix}"),
	}
	if redis(p.aws) {
		env = append(env, item(cloudVariable(cloudAWS, "STORE_ADDRESS"),
			"${vars.aws.storeAddress}"))
	} else {
		env = append(env, item(cloudVariable(cloudAWS, "STORE_TABLE"), "${vars.aws.table}"))
	}
	env = append(env, item(cloudVariable(cloudAWS, "BLOBS_BUCKET"), "${vars.aws.bucket}"))
	if delays {
		env = append(env, item("JLGEN_DELAY_QUEUE", "${vars.aws.delayQueue}"),
			item("JLGEN_SCHEDULER_ROLE", "${vars.aws.schedulerRole}"),
			item("JLGEN_FUNCTION_ARN_PREFIX", "${vars.aws.functionArnPrefix}"))
	}
	return env
}

// actionList writes actions as a sentence lists them: "a, b and c".
func actionList(actions []string) string {
	switch n := len(actions); n {
	case 0:
		return ""
	case 1:
		return actions[0]
	default:
		return strings.Join(actions[:n-1], ", ") + " and " + actions[n-1]
	}
}

// sdevsCrossHeader explains vars.aws and the AWS credentials in the
// header of s.yaml; delays tells whether some function delays a unit on
// AWS, lambdaTasks whether one runs a Task state that calls a Lambda
// function.
func sdevsCrossHeader(p *crossPlan, delays, lambdaTasks bool) []string {
	if p == nil {
		return nil
	}
	allowed := actionList(grants.DynamoDB) + " on the table, "
	if redis(p.aws) {
		allowed = ""
	}
	allowed += actionList(grants.S3) + " on the bucket's objects, lambda:InvokeFunction " +
		"on the stack's functions"
	if lambdaTasks {
		allowed += " and on those the Task states call"
	}
	text := crossIntro + "AWS, as vars.aws says. Set its prefix to the NamePrefix of the " +
		"SAM stack of deploy/template.yaml, and its values in <> to the stack's outputs " +
		"and account."
	if delays {
		text += " The functions that delay a unit on AWS use delayQueue, schedulerRole " +
			"and functionArnPrefix, the ARN of the stack's functions less their names."
		allowed += ", sqs:SendMessage on the queue Delays, scheduler:CreateSchedule, and " +
			"iam:PassRole of SchedulerRole"
	}
	text += " The functions act on AWS with the access key in the environment of s " +
		"deploy (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY): export the long-lived key " +
		"of an IAM user allowed just " + allowed + ". The key lands in the functions' " +
		"configuration: rather keep it in a secret store and export it from there."
	return append([]string{""}, wrapText(text)...)
}
