package aws

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/jointlambda/jlgen/internal/pause"
	jlrt "github.com/jointlambda/jlgen/runtime"
)

// The layout of a DynamoStore's table. Values and join records live in
// separate key spaces, so the same protocol key may name both.
const (
	// attrKey is the table's partition key, a string: "v:" and the
	// protocol key for a value, "j:" and the protocol key for a join record.
	attrKey = "k"
	// attrValue holds a value, as binary.
	attrValue = "v"
	// attrTTL holds the expiry in epoch seconds, as DynamoDB's TTL feature
	// reads it. An item without one never expires.
	attrTTL = "ttl"
	// attrIndexes holds a join record's distinct indexes, a number set.
	attrIndexes = "idx"
	// branchPrefix followed by an index in decimal names the attribute
	// that holds the value the first JoinAdd of that index brought.
	branchPrefix = "b"

	valuePrefix = "v:"
	joinPrefix  = "j:"
)

// maxAttempts bounds how often an operation starts over when an item
// expires or is replaced between two of its requests.
const maxAttempts = 4

// DynamoStore is the protocol's store on one DynamoDB table, whose
// partition key is the string attribute "k" (CreateTable makes one). It
// keeps no state of its own, so one DynamoStore serves any number of
// goroutines.
//
// A value is the item "v:KEY" with the binary attribute "v"; a join
// record is the item "j:KEY" with the number set "idx" of its indexes and
// one binary attribute "bN" per index N. Both carry "ttl", the expiry in
// epoch seconds, rounded up to the next second, which DynamoDB's TTL
// feature reads; a TTL of zero or less means none. That feature deletes
// expired items lazily, within days, so every read compares "ttl" with
// the clock and treats an expired item as absent, and writes replace it.
//
// Costs, in capacity units (on-demand request units are the same units)
// and round trips; every read is strongly consistent:
//
//   - Get: one GetItem, 1 RCU per 4 KB of the item, one round trip.
//   - PutIfAbsent: one conditional PutItem, 1 WCU per 1 KB of the item; a
//     loser pays the same and gets the winner's value in the same reply
//     (ReturnValuesOnConditionCheckFailure ALL_OLD), so one round trip.
//     Where the server does not send it back (an emulator), a consistent
//     GetItem more: a second round trip, 1 RCU per 4 KB.
//   - JoinAdd: one UpdateItem, atomic, 1 WCU per 1 KB of the larger of the
//     record before and after it: outputs that ride in the record make the
//     later branches' writes dearer. One round trip; after the record has
//     expired, a conditional PutItem more that starts it afresh.
//   - JoinGet: one GetItem of the whole record, 1 RCU per 4 KB.
//   - GetMany: one BatchGetItem per 100 distinct keys, sent at once, each
//     item billed as a Get; keys the service leaves unprocessed (it
//     returns at most 16 MB, and fewer under throttling) are asked again
//     after a backoff.
//
// TTL deletions cost nothing. An item holds at most 400 KB and a key at
// most 2 KB; larger payloads belong in Blobs, which the runtime uses for
// anything over the inline limit.
type DynamoStore struct {
	client *dynamodb.Client
	table  string
	// now is the clock that expiry is measured against.
	now func() time.Time
}

var _ jlrt.Store = (*DynamoStore)(nil)

// NewDynamoStore returns a store that keeps its records in table through
// client. Give each workflow deployment its own table.
func NewDynamoStore(client *dynamodb.Client, table string) *DynamoStore {
	return &DynamoStore{client: client, table: table, now: time.Now}
}

// CreateTable creates table as a DynamoStore needs it, on demand
// (pay-per-request), waits until it is active, and enables DynamoDB's TTL
// feature on the attribute "ttl". It fails if the table exists.
func CreateTable(ctx context.Context, client *dynamodb.Client, table string) error {
	_, err := client.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: &table,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: new(attrKey),
			AttributeType: types.ScalarAttributeTypeS}},
		KeySchema: []types.KeySchemaElement{{AttributeName: new(attrKey),
			KeyType: types.KeyTypeHash}},
		BillingMode: types.BillingModePayPerRequest,
	})
	if err != nil {
		return fmt.Errorf("create dynamodb table %s: %w", table, err)
	}
	w := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 200*time.Millisecond, 5*time.Second
	})
	err = w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: &table}, 5*time.Minute)
	if err != nil {
		return fmt.Errorf("wait for dynamodb table %s: %w", table, err)
	}
	_, err = client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: &table,
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: new(attrTTL), Enabled: new(true)},
	})
	if err != nil {
		return fmt.Errorf("enable ttl on dynamodb table %s: %w", table, err)
	}
	return nil
}

// Get returns the value of key, and whether there is one that has not
// expired: one consistent GetItem.
func (s *DynamoStore) Get(ctx context.Context, key string) ([]byte, bool, error) {
	item, err := s.getItem(ctx, valuePrefix+key)
	if err != nil {
		return nil, false, fmt.Errorf("dynamodb get %q: %w", key, err)
	}
	if item == nil || expired(item, s.now()) {
		return nil, false, nil
	}
	v, err := valueOf(item)
	if err != nil {
		return nil, false, fmt.Errorf("dynamodb get %q: %w", key, err)
	}
	return v, true, nil
}

// batchGetLimit is how many keys one BatchGetItem may name.
const batchGetLimit = 100

// GetMany returns the values of those of keys that have one that has not
// expired: consistent BatchGetItems of at most 100 distinct keys each, all
// sent at once.
func (s *DynamoStore) GetMany(ctx context.Context, keys []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	distinct := slices.Compact(slices.Sorted(slices.Values(keys)))
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		first error
	)
	for chunk := range slices.Chunk(distinct, batchGetLimit) {
		wg.Go(func() {
			items, err := s.batchGet(ctx, chunk)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if first == nil {
					first = err
				}
				return
			}
			for k, v := range items {
				out[k] = v
			}
		})
	}
	wg.Wait()
	if first != nil {
		return nil, fmt.Errorf("dynamodb get-many of %d keys: %w", len(distinct), first)
	}
	return out, nil
}

// batchGet reads the values of keys, at most batchGetLimit distinct ones,
// asking again for those the service leaves unprocessed, up to
// maxAttempts times with a growing pause.
func (s *DynamoStore) batchGet(ctx context.Context, keys []string) (map[string][]byte, error) {
	ask := make([]map[string]types.AttributeValue, len(keys))
	for i, k := range keys {
		ask[i] = itemKey(valuePrefix + k)
	}
	out := make(map[string][]byte, len(keys))
	wait := 50 * time.Millisecond
	for attempt := 1; ; attempt++ {
		resp, err := s.client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{
			RequestItems: map[string]types.KeysAndAttributes{s.table: {
				Keys:                 ask,
				ConsistentRead:       new(true),
				ProjectionExpression: new("#k, #v, #t"),
				ExpressionAttributeNames: map[string]string{"#k": attrKey, "#v": attrValue,
					"#t": attrTTL},
			}},
		})
		if err != nil {
			return nil, err
		}
		now := s.now()
		for _, item := range resp.Responses[s.table] {
			k, ok := item[attrKey].(*types.AttributeValueMemberS)
			if !ok || !strings.HasPrefix(k.Value, valuePrefix) {
				return nil, fmt.Errorf("the batch returned an item without a value key: %v",
					item[attrKey])
			}
			if expired(item, now) {
				continue
			}
			v, err := valueOf(item)
			if err != nil {
				return nil, err
			}
			out[strings.TrimPrefix(k.Value, valuePrefix)] = v
		}
		ask = resp.UnprocessedKeys[s.table].Keys
		if len(ask) == 0 {
			return out, nil
		}
		if attempt == maxAttempts {
			return nil, fmt.Errorf("%d keys still unprocessed after %d requests", len(ask),
				attempt)
		}
		if err := pause.For(ctx, wait); err != nil {
			return nil, err
		}
		wait *= 2
	}
}

// PutIfAbsent stores value under key for ttl unless key has a value that
// has not expired, and returns the value now stored and whether it is the
// one given: one conditional PutItem, which on losing returns the winner.
func (s *DynamoStore) PutIfAbsent(ctx context.Context, key string, value []byte,
	ttl time.Duration) ([]byte, bool, error) {
	for range maxAttempts {
		cur, ours, err := s.putIfAbsent(ctx, key, value, ttl)
		if err != nil {
			return nil, false, fmt.Errorf("dynamodb put-if-absent %q: %w", key, err)
		}
		if cur != nil {
			return cur, ours, nil
		}
	}
	return nil, false, fmt.Errorf("dynamodb put-if-absent %q: the value expired "+
		"between %d writes and reads", key, maxAttempts)
}

// putIfAbsent makes one attempt of PutIfAbsent. It returns a nil value
// when it lost to a value that has expired since, and the write should be
// tried again.
func (s *DynamoStore) putIfAbsent(ctx context.Context, key string, value []byte,
	ttl time.Duration) ([]byte, bool, error) {
	now := s.now()
	item := map[string]types.AttributeValue{
		attrKey:   &types.AttributeValueMemberS{Value: valuePrefix + key},
		attrValue: &types.AttributeValueMemberB{Value: nonNil(value)},
	}
	if ttl > 0 {
		item[attrTTL] = epoch(now, ttl)
	}
	_, err := s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                &s.table,
		Item:                     item,
		ConditionExpression:      new("attribute_not_exists(#k) OR #t < :now"),
		ExpressionAttributeNames: map[string]string{"#k": attrKey, "#t": attrTTL},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":now": number(now.Unix())},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if err == nil {
		return nonNil(value), true, nil
	}
	var lost *types.ConditionalCheckFailedException
	if !errors.As(err, &lost) {
		return nil, false, err
	}
	winner := lost.Item
	if len(winner) == 0 {
		if winner, err = s.getItem(ctx, valuePrefix+key); err != nil {
			return nil, false, err
		}
	}
	if winner == nil || expired(winner, s.now()) {
		return nil, false, nil
	}
	v, err := valueOf(winner)
	return v, false, err
}

// JoinAdd sets index of the join record key to value unless the index is
// in already, renews the record's ttl, and returns how many distinct
// indexes the record holds: one UpdateItem, atomic. A record that has
// expired is started afresh.
func (s *DynamoStore) JoinAdd(ctx context.Context, key string, index int, value []byte,
	ttl time.Duration) (int, error) {
	for range maxAttempts {
		n, err := s.joinAdd(ctx, key, index, value, ttl)
		if err != nil {
			return 0, fmt.Errorf("dynamodb join-add %q index %d: %w", key, index, err)
		}
		if n > 0 {
			return n, nil
		}
	}
	return 0, fmt.Errorf("dynamodb join-add %q index %d: the record expired and was "+
		"replaced %d times", key, index, maxAttempts)
}

// joinAdd makes one attempt of JoinAdd. It returns 0 when the record
// expired and another caller started it afresh first, and the update
// should be tried again.
func (s *DynamoStore) joinAdd(ctx context.Context, key string, index int, value []byte,
	ttl time.Duration) (int, error) {
	now := s.now()
	branch := branchPrefix + strconv.Itoa(index)
	update := "ADD #i :i SET #b = if_not_exists(#b, :v)"
	values := map[string]types.AttributeValue{
		":i":   &types.AttributeValueMemberNS{Value: []string{strconv.Itoa(index)}},
		":v":   &types.AttributeValueMemberB{Value: nonNil(value)},
		":now": number(now.Unix()),
	}
	if ttl > 0 {
		update += ", #t = :ttl"
		values[":ttl"] = epoch(now, ttl)
	}
	out, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:        &s.table,
		Key:              itemKey(joinPrefix + key),
		UpdateExpression: &update,
		ConditionExpression: new("attribute_not_exists(#k) OR attribute_not_exists(#t) " +
			"OR #t >= :now"),
		ExpressionAttributeNames: map[string]string{"#k": attrKey, "#t": attrTTL,
			"#i": attrIndexes, "#b": branch},
		ExpressionAttributeValues: values,
		ReturnValues:              types.ReturnValueUpdatedNew,
	})
	var stale *types.ConditionalCheckFailedException
	if errors.As(err, &stale) {
		return s.restartJoin(ctx, key, index, value, ttl)
	}
	if err != nil {
		return 0, err
	}
	set, ok := out.Attributes[attrIndexes].(*types.AttributeValueMemberNS)
	if !ok {
		return 0, fmt.Errorf("the update returned no index set: %v", out.Attributes)
	}
	return len(set.Value), nil
}

// restartJoin replaces the expired join record key with one that holds
// index alone, and returns 1; or 0 when the record is no longer expired.
func (s *DynamoStore) restartJoin(ctx context.Context, key string, index int, value []byte,
	ttl time.Duration) (int, error) {
	now := s.now()
	n := strconv.Itoa(index)
	item := map[string]types.AttributeValue{
		attrKey:     &types.AttributeValueMemberS{Value: joinPrefix + key},
		attrIndexes: &types.AttributeValueMemberNS{Value: []string{n}},
	}
	item[branchPrefix+n] = &types.AttributeValueMemberB{Value: nonNil(value)}
	if ttl > 0 {
		item[attrTTL] = epoch(now, ttl)
	}
	_, err := s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 &s.table,
		Item:                      item,
		ConditionExpression:       new("#t < :now"),
		ExpressionAttributeNames:  map[string]string{"#t": attrTTL},
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": number(now.Unix())},
	})
	var fresh *types.ConditionalCheckFailedException
	if errors.As(err, &fresh) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("restart the expired record: %w", err)
	}
	return 1, nil
}

// JoinGet returns the values of the join record key by index: one
// consistent GetItem. A record that does not exist or has expired is
// empty.
func (s *DynamoStore) JoinGet(ctx context.Context, key string) (map[int][]byte, error) {
	item, err := s.getItem(ctx, joinPrefix+key)
	if err != nil {
		return nil, fmt.Errorf("dynamodb join-get %q: %w", key, err)
	}
	if item == nil || expired(item, s.now()) {
		return map[int][]byte{}, nil
	}
	set, ok := item[attrIndexes].(*types.AttributeValueMemberNS)
	if !ok {
		return nil, fmt.Errorf("dynamodb join-get %q: the record has no index set", key)
	}
	rec := make(map[int][]byte, len(set.Value))
	for _, n := range set.Value {
		index, err := strconv.Atoi(n)
		if err != nil {
			return nil, fmt.Errorf("dynamodb join-get %q: index %q is not an int", key, n)
		}
		b, ok := item[branchPrefix+n].(*types.AttributeValueMemberB)
		if !ok {
			return nil, fmt.Errorf("dynamodb join-get %q: index %d has no value", key, index)
		}
		rec[index] = b.Value
	}
	return rec, nil
}

// getItem reads the item whose partition key is k, consistently. It
// returns nil when there is none.
func (s *DynamoStore) getItem(ctx context.Context, k string) (map[string]types.AttributeValue,
	error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      &s.table,
		Key:            itemKey(k),
		ConsistentRead: new(true),
	})
	if err != nil {
		return nil, err
	}
	if len(out.Item) == 0 {
		return nil, nil
	}
	return out.Item, nil
}

// expired reports whether item carries an expiry before now's second.
func expired(item map[string]types.AttributeValue, now time.Time) bool {
	t, ok := item[attrTTL].(*types.AttributeValueMemberN)
	if !ok {
		return false
	}
	secs, err := strconv.ParseInt(t.Value, 10, 64)
	return err == nil && secs < now.Unix()
}

// valueOf returns the value an item holds.
func valueOf(item map[string]types.AttributeValue) ([]byte, error) {
	v, ok := item[attrValue].(*types.AttributeValueMemberB)
	if !ok {
		return nil, fmt.Errorf("item %v has no binary %q attribute", item[attrKey], attrValue)
	}
	return nonNil(v.Value), nil
}

// epoch is the expiry of a record written at now for ttl, in epoch
// seconds rounded up, so that a short ttl does not end before it began.
func epoch(now time.Time, ttl time.Duration) types.AttributeValue {
	end := now.Add(ttl)
	secs := end.Unix()
	if end.After(time.Unix(secs, 0)) {
		secs++
	}
	return number(secs)
}

func itemKey(k string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrKey: &types.AttributeValueMemberS{Value: k}}
}

func number(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

// nonNil returns b, or an empty slice for nil: a value may be empty, and
// the SDK sends a nil slice as null, which the server rejects.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
