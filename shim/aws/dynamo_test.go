package aws

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/jointlambda/jlgen/internal/grants"
	"github.com/jointlambda/jlgen/internal/storerun"
	"github.com/jointlambda/jlgen/internal/storetest"
	jlrt "github.com/jointlambda/jlgen/runtime"
)

// testClient returns a client of the DynamoDB server at
// JLGEN_DYNAMODB_ENDPOINT, with static credentials, and skips the test
// when the variable is not set. A non-nil hc carries its requests.
func testClient(t testing.TB, hc *http.Client) *dynamodb.Client {
	t.Helper()
	endpoint := os.Getenv("JLGEN_DYNAMODB_ENDPOINT")
	if endpoint == "" {
		t.Skip("JLGEN_DYNAMODB_ENDPOINT is not set: .ci/run starts dynalite " +
			"(source .ci/services.sh) and sets it")
	}
	opts := dynamodb.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("jlgen", "jlgen", ""),
		BaseEndpoint: &endpoint,
	}
	if hc != nil {
		opts.HTTPClient = hc
	}
	c := dynamodb.New(opts)
	_, err := c.ListTables(context.Background(), &dynamodb.ListTablesInput{Limit: new(int32(1))})
	if err != nil {
		t.Fatalf("list tables at %s: %v", endpoint, err)
	}
	return c
}

var notInTableName = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// testTable creates a table that no other test or run uses with
// CreateTable, and deletes it when the test ends.
func testTable(t testing.TB, c *dynamodb.Client, name string) string {
	t.Helper()
	table := fmt.Sprintf("jlgen-test-%s-%s-%d", notInTableName.ReplaceAllString(t.Name(), "-"),
		name, time.Now().UnixNano())
	err := CreateTable(context.Background(), c, table)
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == "UnknownOperationException" {
		// dynalite has no UpdateTimeToLive; the table is there all the same.
		t.Logf("table %s: the server has no TTL feature (%s)", table, api.ErrorCode())
	} else if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &table})
	})
	return table
}

func newStore(t testing.TB) (*DynamoStore, *dynamodb.Client, string) {
	t.Helper()
	c := testClient(t, nil)
	table := testTable(t, c, "store")
	return NewDynamoStore(c, table), c, table
}

// scanItems returns the items of table by partition key, each as a map of
// attribute name to a comparable rendering of its value.
func scanItems(t *testing.T, c *dynamodb.Client, table string) map[string]map[string]string {
	t.Helper()
	items := map[string]map[string]string{}
	p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: &table,
		ConsistentRead: new(true)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("scan %s: %v", table, err)
		}
		for _, item := range page.Items {
			rendered := map[string]string{}
			for name, v := range item {
				rendered[name] = render(v)
			}
			items[rendered[attrKey]] = rendered
		}
	}
	return items
}

// render shows an attribute value by its type and contents.
func render(v types.AttributeValue) string {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return v.Value
	case *types.AttributeValueMemberB:
		return fmt.Sprintf("B%q", v.Value)
	case *types.AttributeValueMemberN:
		return "N" + v.Value
	case *types.AttributeValueMemberNS:
		return fmt.Sprintf("NS%v", slices.Sorted(slices.Values(v.Value)))
	}
	return fmt.Sprintf("%T", v)
}

func TestDynamoStoreContract(t *testing.T) {
	s, c, table := newStore(t)
	storetest.Contract(t, s)
	// Item layout, as DynamoStore documents it.
	items := scanItems(t, c, table)
	if keys := slices.Sorted(maps.Keys(items)); !slices.Equal(keys, []string{"j:j", "v:k"}) {
		t.Errorf("items %q, want j:j and v:k", keys)
	}
	if got, want := items["v:k"][attrValue], `B"first"`; got != want {
		t.Errorf("value item holds v = %s, want %s", got, want)
	}
	j := items["j:j"]
	if j[attrIndexes] != "NS[0 1 2]" || j["b0"] != `B"b"` || j["b2"] != `B"a"` {
		t.Errorf("join item %v, want idx NS[0 1 2] and one bN attribute per index", j)
	}
}

// TestDynamoStoreBatch reads more values with one GetMany than one
// BatchGetItem may name.
func TestDynamoStoreBatch(t *testing.T) {
	s, _, _ := newStore(t)
	storetest.Batch(t, s)
}

// TestDynamoStoreValues checks what the contract leaves implicit: binary
// and empty values round-trip, and values and join records do not collide.
func TestDynamoStoreValues(t *testing.T) {
	s, _, _ := newStore(t)
	storetest.Values(t, s)
}

// TestDynamoStoreExpiry checks that the store honours ttl itself, since
// DynamoDB deletes expired items only lazily: reads ignore them and writes
// replace them.
func TestDynamoStoreExpiry(t *testing.T) {
	ctx := context.Background()
	s, c, table := newStore(t)
	start := time.Now()
	s.PutIfAbsent(ctx, "k", []byte("old"), time.Hour)
	s.JoinAdd(ctx, "j", 0, []byte("a"), time.Hour)
	s.JoinAdd(ctx, "j", 1, []byte("b"), time.Hour)
	s.PutIfAbsent(ctx, "forever", []byte("v"), 0)
	s.PutIfAbsent(ctx, "tiny", []byte("v"), time.Nanosecond)
	items := scanItems(t, c, table)
	for _, k := range []string{"v:k", "j:j"} {
		secs, err := strconv.ParseInt(strings.TrimPrefix(items[k][attrTTL], "N"), 10, 64)
		if end := start.Add(time.Hour).Unix(); err != nil || secs < end || secs > end+2 {
			t.Errorf("%s has ttl %s, want about %d (now + 1 h)", k, items[k][attrTTL], end)
		}
	}
	if ttl, ok := items["v:forever"][attrTTL]; ok {
		t.Errorf("a value stored with no ttl has ttl %s, want none", ttl)
	}
	tiny := items["v:tiny"][attrTTL]
	if secs, err := strconv.ParseInt(strings.TrimPrefix(tiny, "N"), 10, 64); err != nil ||
		secs <= start.Unix() {
		t.Errorf("a ttl of 1 ns expires at %q, not after the second it was written", tiny)
	}
	if _, ok, _ := s.Get(ctx, "k"); !ok {
		t.Fatal("the value is gone before its ttl")
	}

	// Two hours on, the items are still in the table, and the store takes
	// them for absent.
	s.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if _, ok, err := s.Get(ctx, "k"); ok || err != nil {
		t.Errorf("Get of an expired value = %v %v, want not found", ok, err)
	}
	if rec, err := s.JoinGet(ctx, "j"); len(rec) != 0 || err != nil {
		t.Errorf("JoinGet of an expired record = %v %v, want empty", rec, err)
	}
	if got, err := s.GetMany(ctx, []string{"k", "forever"}); err != nil || len(got) != 1 ||
		string(got["forever"]) != "v" {
		t.Errorf("GetMany of an expired value and a lasting one = %q %v, want the lasting one",
			got, err)
	}
	if v, ours, err := s.PutIfAbsent(ctx, "k", []byte("new"), time.Hour); !ours ||
		string(v) != "new" || err != nil {
		t.Errorf("PutIfAbsent over an expired value = %q %v %v, want it written", v, ours, err)
	}
	if n, err := s.JoinAdd(ctx, "j", 1, []byte("c"), time.Hour); n != 1 || err != nil {
		t.Errorf("JoinAdd to an expired record = %d %v, want 1: a fresh record", n, err)
	}
	if n, err := s.JoinAdd(ctx, "j", 2, []byte("d"), time.Hour); n != 2 || err != nil {
		t.Errorf("second JoinAdd to the fresh record = %d %v, want 2", n, err)
	}
	rec, err := s.JoinGet(ctx, "j")
	want := map[int][]byte{1: []byte("c"), 2: []byte("d")}
	if err != nil || !maps.EqualFunc(rec, want, bytes.Equal) {
		t.Errorf("JoinGet of the fresh record = %v %v, want %v", rec, err, want)
	}
	if _, ok, _ := s.Get(ctx, "forever"); !ok {
		t.Error("the value stored with no ttl expired")
	}

	// An item whose ttl is already past by the real clock, as the TTL
	// sweeper leaves it until it comes by.
	s.now = time.Now
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table,
		Item: map[string]types.AttributeValue{
			attrKey:   &types.AttributeValueMemberS{Value: "v:past"},
			attrValue: &types.AttributeValueMemberB{Value: []byte("stale")},
			attrTTL:   number(time.Now().Add(-time.Minute).Unix()),
		}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.Get(ctx, "past"); ok || err != nil {
		t.Errorf("Get of an item past its ttl = %v %v, want not found", ok, err)
	}
	if v, ours, err := s.PutIfAbsent(ctx, "past", []byte("fresh"), 0); !ours ||
		string(v) != "fresh" || err != nil {
		t.Errorf("PutIfAbsent over an item past its ttl = %q %v %v", v, ours, err)
	}
	if v, ok, err := s.Get(ctx, "past"); !ok || string(v) != "fresh" || err != nil {
		t.Errorf("Get after the overwrite = %q %v %v, want fresh", v, ok, err)
	}
}

// TestDynamoStoreConcurrentCallers races duplicate writers from many
// goroutines: exactly one PutIfAbsent wins and every loser reads the
// winner's value, and JoinAdd counts each index once, handing out each
// count once; also when the record has expired and must start afresh.
func TestDynamoStoreConcurrentCallers(t *testing.T) {
	s, _, _ := newStore(t)
	storetest.Race(t, s, "race", 32, 8)

	// The same race on records that expired two hours ago.
	s.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	storetest.Race(t, s, "race", 32, 8)
}

// countingTransport counts the HTTP requests it carries.
type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// TestDynamoStoreRoundTrips checks the round trips that DynamoStore's doc
// comment states.
func TestDynamoStoreRoundTrips(t *testing.T) {
	ctx := context.Background()
	ct := &countingTransport{}
	c := testClient(t, &http.Client{Transport: ct})
	s := NewDynamoStore(c, testTable(t, c, "trips"))
	steps := []struct {
		name     string
		min, max int64
		op       func() error
	}{
		{"Get", 1, 1, func() error { _, _, err := s.Get(ctx, "k"); return err }},
		{"PutIfAbsent that wins", 1, 1, func() error {
			_, _, err := s.PutIfAbsent(ctx, "k", []byte("a"), time.Hour)
			return err
		}},
		// One on DynamoDB, which returns the winner with the failure; two
		// on an emulator that does not.
		{"PutIfAbsent that loses", 1, 2, func() error {
			_, _, err := s.PutIfAbsent(ctx, "k", []byte("b"), time.Hour)
			return err
		}},
		{"JoinAdd", 1, 1, func() error {
			_, err := s.JoinAdd(ctx, "j", 0, []byte("a"), time.Hour)
			return err
		}},
		{"JoinGet", 1, 1, func() error { _, err := s.JoinGet(ctx, "j"); return err }},
		{"GetMany of 150 keys", 2, 2, func() error {
			keys := []string{"k"}
			for i := range 149 {
				keys = append(keys, fmt.Sprintf("missing/%d", i))
			}
			got, err := s.GetMany(ctx, keys)
			if err == nil && string(got["k"]) != "a" {
				err = fmt.Errorf("read %q, want k = a", got)
			}
			return err
		}},
	}
	for _, step := range steps {
		before := ct.n.Load()
		if err := step.op(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if n := ct.n.Load() - before; n < step.min || n > step.max {
			t.Errorf("%s took %d round trips, want %d to %d", step.name, n, step.min,
				step.max)
		}
	}
}

// TestWorkflowOnDynamoDB runs the parallel-branches golden on the local
// jointcloud with each cloud's store a DynamoStore on a table of its own,
// then delivers every invocation again: the records do not change and no
// task runs twice.
func TestWorkflowOnDynamoDB(t *testing.T) {
	c := testClient(t, nil)
	tables := map[string]string{}
	storerun.Run(t, storerun.Backend{
		Store: func(t *testing.T, cloud string) jlrt.Store {
			tables[cloud] = testTable(t, c, cloud)
			return NewDynamoStore(c, tables[cloud])
		},
		Snapshot:    func(t *testing.T) map[string]any { return snapshot(t, c, tables) },
		JoinRecords: joinRecords,
	})
}

// snapshot reads every item of the clouds' tables, by cloud and partition
// key, leaving out "ttl": a JoinAdd renews it, by the real clock.
func snapshot(t *testing.T, c *dynamodb.Client, tables map[string]string) map[string]any {
	t.Helper()
	out := map[string]any{}
	for cloud, table := range tables {
		for k, item := range scanItems(t, c, table) {
			if _, ok := item[attrTTL]; !ok {
				t.Errorf("item %s of cloud %s has no ttl", k, cloud)
			}
			delete(item, attrTTL)
			out[cloud+" "+k] = item
		}
	}
	if len(out) == 0 {
		t.Fatal("the execution left no records in DynamoDB")
	}
	return out
}

// joinRecords counts the join records of a snapshot.
func joinRecords(items map[string]any) int {
	n := 0
	for _, item := range items {
		if strings.HasPrefix(item.(map[string]string)[attrKey], joinPrefix) {
			n++
		}
	}
	return n
}

// BenchmarkDynamoStore measures the store's operations against the
// DynamoDB server at JLGEN_DYNAMODB_ENDPOINT (dynalite in CI).
func BenchmarkDynamoStore(b *testing.B) {
	s, _, _ := newStore(b)
	storetest.Bench(b, s)
}

// deferringTransport carries requests to the server and, in the answers
// to the first partial BatchGetItems, moves every other item returned into
// UnprocessedKeys, as DynamoDB does when a batch exceeds 16 MB or the
// table is throttled. It counts the BatchGetItems and checks each one:
// strongly consistent, at most 100 keys, none twice.
type deferringTransport struct {
	t       *testing.T
	partial int64
	batches atomic.Int64
}

func (d *deferringTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("X-Amz-Target") != "DynamoDB_20120810.BatchGetItem" {
		return http.DefaultTransport.RoundTrip(r)
	}
	n := d.batches.Add(1)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	var req struct {
		RequestItems map[string]struct {
			Keys           []map[string]map[string]string
			ConsistentRead bool
		}
	}
	if err := json.Unmarshal(body, &req); err != nil {
		d.t.Errorf("BatchGetItem request %s: %v", body, err)
	}
	for table, ka := range req.RequestItems {
		seen := map[string]bool{}
		for _, k := range ka.Keys {
			if seen[k[attrKey]["S"]] {
				d.t.Errorf("BatchGetItem names %s twice", k[attrKey]["S"])
			}
			seen[k[attrKey]["S"]] = true
		}
		if !ka.ConsistentRead || len(ka.Keys) > batchGetLimit {
			d.t.Errorf("BatchGetItem of %s: %d keys, consistent %v; want at most %d, "+
				"consistent", table, len(ka.Keys), ka.ConsistentRead, batchGetLimit)
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || n > d.partial || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	out, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var answer struct {
		Responses       map[string][]map[string]any
		UnprocessedKeys map[string]map[string]any
	}
	if err := json.Unmarshal(out, &answer); err != nil {
		return nil, err
	}
	answer.UnprocessedKeys = map[string]map[string]any{}
	for table, items := range answer.Responses {
		var kept []map[string]any
		var later []map[string]any
		for i, item := range items {
			if i%2 == 0 {
				kept = append(kept, item)
			} else {
				later = append(later, map[string]any{attrKey: item[attrKey]})
			}
		}
		answer.Responses[table] = kept
		if len(later) > 0 {
			answer.UnprocessedKeys[table] = map[string]any{"Keys": later,
				"ConsistentRead": true}
		}
	}
	out, err = json.Marshal(answer)
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(out))
	resp.ContentLength = int64(len(out))
	resp.Header.Set("Content-Length", strconv.Itoa(len(out)))
	resp.Header.Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE(out)), 10))
	return resp, nil
}

// TestDynamoStoreUnprocessedKeys checks that GetMany asks again for the
// keys a BatchGetItem leaves unprocessed, and fails, saying so, when the
// service keeps leaving some.
func TestDynamoStoreUnprocessedKeys(t *testing.T) {
	ctx := context.Background()
	c := testClient(t, nil)
	table := testTable(t, c, "unprocessed")
	var keys []string
	for i := range 150 {
		k := fmt.Sprintf("k%d", i)
		keys = append(keys, k)
		if _, _, err := NewDynamoStore(c, table).PutIfAbsent(ctx, k, []byte(k),
			time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	read := func(deferred int64) (map[string][]byte, int64, error) {
		d := &deferringTransport{t: t, partial: deferred}
		s := NewDynamoStore(testClient(t, &http.Client{Transport: d}), table)
		got, err := s.GetMany(ctx, keys)
		return got, d.batches.Load(), err
	}
	got, batches, err := read(2)
	if err != nil || len(got) != len(keys) {
		t.Fatalf("GetMany with unprocessed keys = %d values, %v; want %d", len(got), err,
			len(keys))
	}
	for _, k := range keys {
		if string(got[k]) != k {
			t.Errorf("GetMany[%s] = %q", k, got[k])
		}
	}
	// Two chunks; the first two requests leave half their keys, which
	// take one more request each.
	if batches != 4 {
		t.Errorf("GetMany of 150 keys with 2 partial answers sent %d BatchGetItems, want 4",
			batches)
	}
	if _, _, err := read(1000); err == nil || !strings.Contains(err.Error(), "unprocessed") {
		t.Errorf("GetMany that the service keeps deferring = %v, want an error that "+
			"says keys are unprocessed", err)
	}
}

// actionTransport records the DynamoDB actions of the requests it
// carries, as IAM names them.
type actionTransport struct {
	mu      sync.Mutex
	actions map[string]bool
}

func (a *actionTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	_, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	a.mu.Lock()
	a.actions["dynamodb:"+op] = true
	a.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// TestDynamoStoreActions checks that a DynamoStore calls exactly the
// actions that the SAM template grants its functions on the table
// (grants.DynamoDB): every operation, on fresh and on expired records.
func TestDynamoStoreActions(t *testing.T) {
	c := testClient(t, nil)
	table := testTable(t, c, "actions")
	at := &actionTransport{actions: map[string]bool{}}
	s := NewDynamoStore(testClient(t, &http.Client{Transport: at}), table)
	at.actions = map[string]bool{} // forget testClient's ListTables
	storetest.Contract(t, s)
	storetest.Batch(t, s)
	s.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	storetest.Contract(t, s)
	got := slices.Sorted(maps.Keys(at.actions))
	want := slices.Sorted(slices.Values(grants.DynamoDB))
	if !slices.Equal(got, want) {
		t.Errorf("the store called %v, and the deployment files grant %v", got, want)
	}
}
