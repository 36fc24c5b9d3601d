package codegen

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/jointlambda/jlgen/config"
	"github.com/jointlambda/jlgen/internal/grants"
	"github.com/jointlambda/jlgen/ir"
	jlrt "github.com/jointlambda/jlgen/runtime"
)

// sdevsFile writes deploy/s.yaml: one fc3 component per unit placed on
// Alibaba Function Compute, and the TableStore table and OSS bucket they
// share as variables; for a workflow that spans both clouds, also where
// the cloud "aws" keeps its store, blobs and functions (vars.aws).
func (g *gen) sdevsFile(units []deployUnit) ([]byte, error) {
	cross, err := g.crossPlan(units)
	if err != nil {
		return nil, err
	}
	delays := g.delayPlan(units)
	// With a redis store, the functions keep their records at its address
	// in the embedded config, and need no table.
	redisAddress, table := g.redisStore(cloudAliyun, config.ProviderAliyun)
	table = !table
	resources := yaml.MapSlice{}
	for _, d := range units {
		if !d.on(cloudAliyun) {
			continue
		}
		// Serverless Devs expands ${...} in every value and has no escape
		// for it, so a unit name holding one cannot be passed through.
		if strings.Contains(d.unit.Name, "${") {
			return nil, fmt.Errorf("unit %q: Serverless Devs would expand the \"${\" in "+
				"its name; rename the state or place it off %q", d.unit.Name, cloudAliyun)
		}
		resources = append(resources, sdevsFunction(d, table, cross, delays.remote[d.unit]))
	}
	vars := yaml.MapSlice{item("region", sdevsRegion), item("prefix", g.namePrefix()),
		item("role", sdevsRole)}
	if table {
		vars = append(vars, item("tablestore", yaml.MapSlice{
			item("instance", g.sdevsInstance()),
			item("table", sdevsTable),
		}))
	}
	vars = append(vars, item("oss", yaml.MapSlice{item("bucket", g.sdevsBucket())}))
	if cross != nil {
		vars = append(vars, g.sdevsCrossVars(cross, len(delays.remote) > 0))
	}
	doc := yaml.MapSlice{
		item("edition", "3.0.0"),
		item("name", g.namePrefix()),
		item("access", "default"),
		item("vars", vars),
		item("resources", resources),
	}
	invoke := "fc:InvokeFunction on the workflow's other functions"
	if callsResource(units, cloudAliyun, ir.ResourceFC) {
		invoke += " and on those the Task states call"
	}
	header := append(g.headerLines(), "",
		"The Serverless Devs project of the workflow's functions placed on the cloud",
		"\"aliyun\". Build with deploy/build.sh, then: s deploy -t deploy/s.yaml",
		"")
	if table {
		header = append(header,
			"The functions share two resources that this file does not create:",
			"- a TableStore table (vars.tablestore) with the string primary key \"k\" and a",
			"  time to live, which holds the checkpoints;",
			"- an OSS bucket (vars.oss) for payloads too large to travel inline.")
		header = append(header, wrapText("Create them and set vars to their names. "+
			sdevsRoleText(actionList(grants.TableStore)+" on the table, "+
				actionList(grants.OSS)+" on the bucket's objects, and "+invoke))...)
	} else {
		header = append(header, wrapText("The functions keep their records in the redis "+
			"store at "+redisAddress+" (jlgen.yaml; JLGEN_ALIYUN_STORE_ADDRESS overrides "+
			"it), which they must reach: give them the vpcConfig of its network. They "+
			"share an OSS bucket (vars.oss) for payloads too large to travel inline, "+
			"which this file does not create. Create it and set vars.oss to its name. "+
			sdevsRoleText(actionList(grants.OSS)+" on the bucket's objects and "+invoke))...)
	}
	header = append(header, sdevsCrossHeader(cross, len(delays.remote) > 0,
		callsResource(units, cloudAliyun, ir.ResourceLambda, ir.ResourceLambdaInvoke))...)
	return yamlFile(header, doc)
}

// sdevsFunction is the fc3 component of a unit: the custom runtime's
// bootstrap serving on the port the shim listens on, told of the
// TableStore table when there is one (table). In a workflow that
// spans both clouds (cross, nil otherwise) it is also told of the cloud
// "aws", with its delay routes when the unit delays a unit there.
func sdevsFunction(d deployUnit, table bool, cross *crossPlan, delays bool) yaml.MapItem {
	env := yaml.MapSlice{
		item("JLGEN_UNIT", d.unit.Name),
		item("JLGEN_FUNCTION_PREFIX", "${vars.prefix}"),
	}
	if table {
		env = append(env,
			item("JLGEN_TABLESTORE_INSTANCE", "${vars.tablestore.instance}"),
			item("JLGEN_TABLESTORE_TABLE", "${vars.tablestore.table}"))
	}
	env = append(env, item("JLGEN_OSS_BUCKET", "${vars.oss.bucket}"))
	env = append(env, sdevsCrossEnvironment(cross, delays)...)
	return item(d.id, yaml.MapSlice{
		item("component", "fc3"),
		item("props", yaml.MapSlice{
			item("region", "${vars.region}"),
			item("functionName", "${vars.prefix}-"+jlrt.FunctionID(d.unit.Name)),
			item("runtime", "custom.debian10"),
			item("handler", "bootstrap"),
			item("code", "./build/fc"),
			item("memorySize", 256),
			item("timeout", 300),
			item("role", "${vars.role}"),
			item("customRuntimeConfig", yaml.MapSlice{
				item("command", []string{"/code/bootstrap"}),
				item("port", 9000),
			}),
			item("environmentVariables", env),
		}),
	})
}

// sdevsRoleText is the header's sentence on vars.role, the RAM role every
// function acts as, which must allow just allowed.
func sdevsRoleText(allowed string) string {
	return "Set vars.role to the ARN of a RAM role that Function Compute may assume and " +
		"that is allowed just " + allowed + ". The functions act as that role: without " +
		"one, Function Compute gives them no credentials."
}
