// Package redis is a runtime.Store on Redis, usable from both clouds. On
// AWS, ElastiCache (Redis OSS or Valkey) and MemoryDB speak Redis; on
// Alibaba Cloud, Tair (formerly ApsaraDB for Redis) does. So one
// implementation serves a workflow's functions on Lambda and on Function
// Compute alike, and a jointcloud can keep one store for all its clouds or
// one per cloud.
//
// The store takes a go-redis UniversalClient: a plain client for one
// server, a failover client for a Sentinel set, or a cluster client for a
// cluster-mode deployment. Every operation touches exactly one key, and a
// batched read is a pipeline of single-key GETs, so the store works on
// Redis Cluster and on Tair's proxy and direct-connection cluster modes
// without hash tags.
//
// # Keys
//
// The prefix given to New, followed by a colon, starts every key; give
// each workflow deployment its own prefix. Then:
//
//	PREFIX:v:KEY   a string: the value of KEY (checkpoints, inputs, results,
//	               invoked records), written once, expiring after its TTL
//	PREFIX:j:KEY   a hash: the join record KEY, one field per branch index
//	               in decimal, holding the value the first JoinAdd of that
//	               index brought; each JoinAdd renews its TTL
//
// Values and join records live in separate key spaces, as in the other
// stores, so the same KEY may name both. Expiry is Redis's own (PX,
// PEXPIRE): nothing needs cleaning up. A TTL of zero or less means none.
//
// # Costs
//
// Each operation is one round trip to the server (GetMany, one per shard
// its keys fall on in a cluster):
//
//	Get          GET
//	GetMany      a pipeline of GETs
//	PutIfAbsent  one Lua script: GET, then SET PX when the key is free;
//	             a loser gets the stored value in the same reply
//	JoinAdd      one Lua script: HSETNX, PEXPIRE, HLEN (atomic)
//	JoinGet      HGETALL
//
// The scripts run by EVALSHA; the first call on a server that has not
// seen a script yet costs one more round trip, an EVAL that loads it.
//
// # Consistency
//
// The protocol needs reads that see every acknowledged write. Send reads
// to primaries: leave ReadOnly, RouteByLatency and RouteRandomly off in a
// cluster client's options. Redis replicates asynchronously, so a failover
// of an ElastiCache or Tair primary can lose the last acknowledged writes,
// and with a lost checkpoint a redelivery may run its task a second time.
// MemoryDB commits each write to a multi-AZ log before it answers, and
// loses none: choose it where a task must not run twice.
package redis
