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
