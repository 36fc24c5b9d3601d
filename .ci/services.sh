# Services the integration tests need, for .ci/run to source before them:
#
#	source .ci/services.sh
#
# It starts a throwaway redis-server on 127.0.0.1 (installed from Debian
# when missing), with no persistence, and exports JLGEN_REDIS_ADDR for the
# tests of shim/redis. Sourcing it again reuses a server that still answers.
# It fails with a non-zero status when the server cannot be started.
# The port is JLGEN_REDIS_PORT, 6390 unless set.

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
