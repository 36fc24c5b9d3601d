# Services the integration tests need, for .ci/run to source before them:
#
#	source .ci/services.sh
#
# It starts a throwaway redis-server on 127.0.0.1 (installed from Debian
# when missing), with no persistence, and exports JLGEN_REDIS_ADDR for the
# tests of shim/redis. The functions below it start dynalite and versitygw
# and install the Lambda Runtime Interface Emulator likewise, each with the
# variables it exports in its comment. Sourcing it again reuses a server that still answers.
# It fails with a non-zero status when the server cannot be started.
# The port is JLGEN_REDIS_PORT, 6390 unless set.

# The tests talk to servers on 127.0.0.1 only: keep both clouds' SDKs from
# asking an instance metadata service for credentials or a region.
export AWS_EC2_METADATA_DISABLED=true ALIBABA_CLOUD_ECS_METADATA_DISABLED=true

jlgen_start_redis() {
	local port=${JLGEN_REDIS_PORT:-6390}
	local dir=${TMPDIR:-/tmp}/jlgen-redis-$port
	if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
		echo "services: installing redis-server from Debian" >&2
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq redis-server >/dev/null) || {
			echo "services: cannot install redis-server" >&2
			return 1
		}
	fi
	if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" != PONG ]; then
		mkdir -p "$dir" || return 1
		redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
			--daemonize yes --dir "$dir" --logfile "$dir/redis.log" \
			--pidfile "$dir/redis.pid" || {
			echo "services: redis-server did not start on port $port" >&2
			return 1
		}
		local i
		for i in $(seq 1 100); do
			[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ] && break
			sleep 0.1
		done
	fi
	if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" != PONG ]; then
		echo "services: redis-server on 127.0.0.1:$port does not answer PING" \
			"after 10 s; its log:" >&2
		tail -n 20 "$dir/redis.log" >&2 2>/dev/null
		return 1
	fi
	export JLGEN_REDIS_ADDR=127.0.0.1:$port
	echo "services: redis-server $(redis-server --version | sed "s/.* v=\([^ ]*\).*/\1/")" \
		"at $JLGEN_REDIS_ADDR" >&2
}

jlgen_start_redis || {
	echo "services: cannot start the services the tests need" >&2
	return 1 2>/dev/null || exit 1
}

# jlgen_start_dynalite starts dynalite, a DynamoDB emulator from npm, in
# memory on 127.0.0.1, and exports JLGEN_DYNAMODB_ENDPOINT for the tests of
# shim/aws. It installs dynalite@4.0.0 under ${TMPDIR:-/tmp}/jlgen-dynalite
# when missing (and Node.js from Debian when npm is), and reuses a server
# that still answers. The port is JLGEN_DYNAMODB_PORT, 4567 unless set.
jlgen_start_dynalite() {
	local port=${JLGEN_DYNAMODB_PORT:-4567}
	local dir=${TMPDIR:-/tmp}/jlgen-dynalite
	local url=http://127.0.0.1:$port
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
		echo "services: installing Node.js and npm from Debian" >&2
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq nodejs npm >/dev/null) || {
			echo "services: cannot install Node.js and npm" >&2
			return 1
		}
	fi
	if [ ! -x "$dir/node_modules/.bin/dynalite" ]; then
		echo "services: installing dynalite@4.0.0 from npm into $dir" >&2
		mkdir -p "$dir" && npm install --prefix "$dir" --no-audit --no-fund --silent \
			dynalite@4.0.0 >&2 || {
			echo "services: cannot install dynalite@4.0.0" >&2
			return 1
		}
	fi
	if ! jlgen_dynalite_answers "$url"; then
		setsid "$dir/node_modules/.bin/dynalite" --host 127.0.0.1 --port "$port" \
			--createTableMs 0 --deleteTableMs 0 </dev/null >"$dir/dynalite-$port.log" 2>&1 &
		local pid=$! deadline=$((SECONDS + 15))
		echo "$pid" >"$dir/dynalite-$port.pid"
		while [ "$SECONDS" -lt "$deadline" ] && kill -0 "$pid" 2>/dev/null; do
			jlgen_dynalite_answers "$url" && break
			sleep 0.2
		done
	fi
	if ! jlgen_dynalite_answers "$url"; then
		echo "services: dynalite on $url does not answer (it exited, or 15 s" \
			"passed); its log:" >&2
		tail -n 20 "$dir/dynalite-$port.log" >&2 2>/dev/null
		return 1
	fi
	export JLGEN_DYNAMODB_ENDPOINT=$url
	local pkg=$dir/node_modules/dynalite/package.json
	echo "services: dynalite $(node -p "require('$pkg').version")" \
		"at $JLGEN_DYNAMODB_ENDPOINT" >&2
}

# jlgen_dynalite_answers reports whether a dynalite answers at the URL $1:
# it says "healthy" to a GET of /.
jlgen_dynalite_answers() {
	node -e '
		const req = require("http").get(process.argv[1], {timeout: 1000}, (res) => {
			let body = ""
			res.on("data", (d) => body += d)
			res.on("end", () => process.exit(/healthy/.test(body) ? 0 : 1))
		})
		req.on("timeout", () => req.destroy())
		req.on("error", () => process.exit(1))' "$1" 2>/dev/null
}

jlgen_start_dynalite || {
	echo "services: cannot start the services the tests need" >&2
	return 1 2>/dev/null || exit 1
}

# jlgen_install_tools installs the servers that tools/go.mod pins, with go
# install into ${TMPDIR:-/tmp}/jlgen-tools: versitygw, an S3 gateway, and
# aws-lambda-rie, AWS's Lambda Runtime Interface Emulator. A binary that
# go version -m shows to be built from the pinned version is kept, so a warm
# machine builds nothing; a cold one takes a minute or two. It exports
# JLGEN_LAMBDA_RIE, the path of aws-lambda-rie, and JLGEN_TOOLS_BIN, the
# directory of both.
jlgen_install_tools() {
	local tools bin
	tools=$(cd "$(dirname "${BASH_SOURCE[0]}")/../tools" && pwd) || {
		echo "services: no tools module next to .ci" >&2
		return 1
	}
	bin=${TMPDIR:-/tmp}/jlgen-tools
	local stale=() entry mod pkg name version
	for entry in \
		github.com/versity/versitygw:github.com/versity/versitygw/cmd/versitygw \
		github.com/aws/aws-lambda-runtime-interface-emulator:github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie; do
		mod=${entry%%:*} pkg=${entry#*:} name=${entry##*/}
		version=$(awk -v mod="$mod" '$1 == mod && $2 ~ /^v/ { print $2; exit }' "$tools/go.mod")
		if [ -z "$version" ]; then
			echo "services: tools/go.mod does not require $mod" >&2
			return 1
		fi
		jlgen_built_from "$bin/$name" "$mod" "$version" || stale+=("$pkg")
	done
	if [ "${#stale[@]}" -gt 0 ]; then
		echo "services: go install ${stale[*]##*/} from tools/go.mod into $bin" >&2
		(cd "$tools" && GOBIN=$bin GOWORK=off go install "${stale[@]}") || {
			echo "services: cannot go install ${stale[*]}" >&2
			return 1
		}
	fi
	export JLGEN_TOOLS_BIN=$bin
	export JLGEN_LAMBDA_RIE=$bin/aws-lambda-rie
}

# jlgen_built_from reports whether the Go binary $1 exists and was built
# from version $3 of module $2.
jlgen_built_from() {
	local info
	[ -x "$1" ] && info=$(go version -m "$1" 2>/dev/null) || return 1
	[[ $info == *$'\tmod\t'"$2"$'\t'"$3"$'\t'* ]]
}

jlgen_install_tools || {
	echo "services: cannot install the tools the tests need" >&2
	return 1 2>/dev/null || exit 1
}

# jlgen_start_versitygw starts versitygw, installed by jlgen_install_tools,
# as an S3 server on 127.0.0.1 for the tests of shim/aws. Its posix backend
# keeps buckets and objects in a fresh directory under
# ${TMPDIR:-/tmp}/jlgen-versitygw-PORT, with their metadata in a sidecar
# directory there, so it needs no extended attributes from the file system.
# Requests must be signed (SigV4) with the root key pair, drawn at random on
# each start and kept in that directory for the next sourcing, which reuses
# a server that still answers. It exports JLGEN_S3_ENDPOINT,
# JLGEN_S3_ACCESS_KEY and JLGEN_S3_SECRET_KEY. The port is JLGEN_S3_PORT,
# 7070 unless set.
jlgen_start_versitygw() {
	local port=${JLGEN_S3_PORT:-7070}
	local dir=${TMPDIR:-/tmp}/jlgen-versitygw-$port
	local access secret
	if ! jlgen_versitygw_answers "$port" || ! [ -s "$dir/keys" ]; then
		if jlgen_versitygw_answers "$port"; then
			echo "services: a versitygw that this script did not start (no" \
				"$dir/keys) holds port $port; stop it or set JLGEN_S3_PORT" >&2
			return 1
		fi
		rm -rf "$dir/root" "$dir/meta" "$dir/keys" &&
			mkdir -p "$dir/root" "$dir/meta" || return 1
		access=jlgen$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')
		secret=$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')
		[ "${#access}" -eq 21 ] && [ "${#secret}" -eq 40 ] || {
			echo "services: cannot draw a key pair from /dev/urandom" >&2
			return 1
		}
		(umask 077 && printf '%s %s\n' "$access" "$secret" >"$dir/keys") || return 1
		ROOT_ACCESS_KEY_ID=$access ROOT_SECRET_ACCESS_KEY=$secret setsid \
			"$JLGEN_TOOLS_BIN/versitygw" --port "127.0.0.1:$port" --health /health \
			--quiet posix --sidecar "$dir/meta" "$dir/root" \
			</dev/null >"$dir/versitygw.log" 2>&1 &
		local pid=$! deadline=$((SECONDS + 15))
		echo "$pid" >"$dir/versitygw.pid"
		while [ "$SECONDS" -lt "$deadline" ] && kill -0 "$pid" 2>/dev/null; do
			jlgen_versitygw_answers "$port" && break
			sleep 0.2
		done
	fi
	if ! jlgen_versitygw_answers "$port"; then
		echo "services: versitygw on 127.0.0.1:$port does not answer (it exited," \
			"or 15 s passed); its log:" >&2
		tail -n 20 "$dir/versitygw.log" >&2 2>/dev/null
		return 1
	fi
	read -r access secret <"$dir/keys" || return 1
	export JLGEN_S3_ENDPOINT=http://127.0.0.1:$port
	export JLGEN_S3_ACCESS_KEY=$access
	export JLGEN_S3_SECRET_KEY=$secret
	echo "services: versitygw $(go version -m "$JLGEN_TOOLS_BIN/versitygw" |
		awk '$1 == "mod" { print $3 }') at $JLGEN_S3_ENDPOINT" >&2
}

# jlgen_versitygw_answers reports whether a versitygw answers on
# 127.0.0.1:$1: its health endpoint, /health, says 200 OK, with the Server
# header VERSITYGW. It needs no curl: it speaks HTTP through bash's
# /dev/tcp, and waits at most 2 s for each line of the answer.
jlgen_versitygw_answers() {
	(
		exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
		local line ok=0 server=0
		IFS= read -r -t 2 line <&3 || exit 1
		[[ $line == "HTTP/1."[01]" 200 "* ]] && ok=1
		while IFS= read -r -t 2 line <&3 && [ -n "${line%$'\r'}" ]; do
			[[ ${line,,} == "server: versitygw"* ]] && server=1
		done
		[ "$ok" = 1 ] && [ "$server" = 1 ]
	) 2>/dev/null
}

jlgen_start_versitygw || {
	echo "services: cannot start the services the tests need" >&2
	return 1 2>/dev/null || exit 1
}
