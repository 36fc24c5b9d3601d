package aliyun

// The tests of TableStore run against fakeOTS (tablestore_fake_test.go), a
// fake TableStore written from the protocol the SDK speaks and Alibaba's
// documentation of it. It is not an emulator of the service, and no test
// here talks to the real one.

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/aliyun-tablestore-go-sdk/v5/tablestore"
	"github.com/aliyun/aliyun-tablestore-go-sdk/v5/tablestore/otsprotocol"

	"github.com/jointlambda/jlgen/internal/grants"
	"github.com/jointlambda/jlgen/internal/storetest"
	jlrt "github.com/jointlambda/jlgen/runtime"
)

// newTestTableStore creates table on the fake at url with CreateTable, and
// returns a store on it whose client retries as the SDK does by default.
func newTestTableStore(t testing.TB, url, table string) *TableStore {
	t.Helper()
	client := newOTSClient(url, 10)
	if err := CreateTable(context.Background(), client, table); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	return NewTableStore(client, table)
}

// testClock is a clock that moves only when told.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestTableStoreActions checks that a TableStore store calls exactly the
// actions that the deployment files tell the user to grant its functions
// on the table (grants.TableStore): every operation, on fresh and on
// expired records.
func TestTableStoreActions(t *testing.T) {
	f, srv := newFakeOTS(t)
	s := newTestTableStore(t, srv.URL, "actions")
	f.take() // forget CreateTable's requests
	storetest.Contract(t, s)
	storetest.Batch(t, s)
	clock := &testClock{t: time.Now().Add(2 * time.Hour)}
	s.now = clock.now
	storetest.Contract(t, s)
	actions := map[string]bool{}
	for _, path := range f.take() {
		actions["ots:"+strings.TrimPrefix(path, "/")] = true
	}
	got := slices.Sorted(maps.Keys(actions))
	want := slices.Sorted(slices.Values(grants.TableStore))
	if !slices.Equal(got, want) {
		t.Errorf("the store called %v, and the deployment files grant %v", got, want)
	}
}

func TestTableStoreContract(t *testing.T) {
	_, srv := newFakeOTS(t)
	t.Run("contract", func(t *testing.T) {
		storetest.Contract(t, newTestTableStore(t, srv.URL, "contract"))
	})
	t.Run("batch", func(t *testing.T) {
		storetest.Batch(t, newTestTableStore(t, srv.URL, "batch"))
	})
	t.Run("values", func(t *testing.T) {
		storetest.Values(t, newTestTableStore(t, srv.URL, "values"))
	})
	t.Run("race", func(t *testing.T) {
		storetest.Race(t, newTestTableStore(t, srv.URL, "race"), "race", 32, 8)
	})
}

// TestTableStoreExpired checks that a value and a join record whose expiry
// has passed count as absent, and that racing writers replace them with
// exactly one winner and distinct counts.
func TestTableStoreExpired(t *testing.T) {
	_, srv := newFakeOTS(t)
	s := newTestTableStore(t, srv.URL, "expired")
	clock := &testClock{t: time.Unix(1_700_000_000, 0)}
	s.now = clock.now
	ctx := context.Background()
	if _, ours, err := s.PutIfAbsent(ctx, "race", []byte("old"), time.Second); !ours ||
		err != nil {
		t.Fatalf("PutIfAbsent = %v %v", ours, err)
	}
	for i := range 8 {
		if _, err := s.JoinAdd(ctx, "race", i, []byte("old"), time.Second); err != nil {
			t.Fatalf("JoinAdd: %v", err)
		}
	}
	clock.add(time.Second - time.Millisecond)
	if _, ok, err := s.Get(ctx, "race"); !ok || err != nil {
		t.Fatalf("Get just before the expiry = %v %v, want the value", ok, err)
	}
	clock.add(time.Millisecond)
	if v, ok, err := s.Get(ctx, "race"); ok || err != nil {
		t.Errorf("Get of an expired value = %q %v %v, want none", v, ok, err)
	}
	if rec, err := s.JoinGet(ctx, "race"); len(rec) != 0 || err != nil {
		t.Errorf("JoinGet of an expired record = %v %v, want it empty", rec, err)
	}
	// The old values are 3 bytes long: Race fails on any that survived.
	storetest.Race(t, s, "race", 32, 8)
}

// TestTableStoreRoundTrips checks the requests each operation sends, as
// the doc comment of TableStore counts them, and the columns it writes.
func TestTableStoreRoundTrips(t *testing.T) {
	f, srv := newFakeOTS(t)
	s := newTestTableStore(t, srv.URL, "trips")
	clock := &testClock{t: time.Unix(1_700_000_000, 0)}
	s.now = clock.now
	ctx := context.Background()
	f.take()
	sent := func(op string, want ...string) {
		t.Helper()
		if got := f.take(); !slices.Equal(got, want) {
			t.Errorf("%s sent %v, want %v", op, got, want)
		}
	}

	if v, ours, err := s.PutIfAbsent(ctx, "k", []byte("a"), 1500*time.Microsecond); err != nil ||
		!ours || string(v) != "a" {
		t.Errorf("PutIfAbsent = %q %v %v", v, ours, err)
	}
	sent("a winning PutIfAbsent", "/PutRow")
	if v, ours, err := s.PutIfAbsent(ctx, "k", []byte("b"), time.Hour); err != nil || ours ||
		string(v) != "a" {
		t.Errorf("PutIfAbsent over a value = %q %v %v, want a", v, ours, err)
	}
	sent("a losing PutIfAbsent", "/PutRow", "/GetRow")
	if v, ok, err := s.Get(ctx, "k"); err != nil || !ok || string(v) != "a" {
		t.Errorf("Get = %q %v %v", v, ok, err)
	}
	sent("Get", "/GetRow")
	for i, want := range []int{1, 2} {
		if n, err := s.JoinAdd(ctx, "j", i, []byte{'x', byte(i)}, time.Hour); err != nil ||
			n != want {
			t.Errorf("JoinAdd %d = %d %v, want %d", i, n, err, want)
		}
		sent("JoinAdd of a new index", "/UpdateRow")
	}
	if n, err := s.JoinAdd(ctx, "j", 0, []byte("dup"), time.Hour); err != nil || n != 2 {
		t.Errorf("JoinAdd of a duplicate = %d %v, want 2", n, err)
	}
	sent("JoinAdd of a duplicate", "/UpdateRow", "/GetRow")
	rec, err := s.JoinGet(ctx, "j")
	if want := map[int][]byte{0: []byte("x\x00"), 1: []byte("x\x01")}; err != nil ||
		!maps.EqualFunc(rec, want, slices.Equal) {
		t.Errorf("JoinGet = %v %v, want %v", rec, err, want)
	}
	sent("JoinGet", "/GetRow")
	checkLayout(t, f, clock.now())

	clock.add(2 * time.Hour)
	if v, ours, err := s.PutIfAbsent(ctx, "k", []byte("c"), time.Hour); err != nil || !ours ||
		string(v) != "c" {
		t.Errorf("PutIfAbsent over an expired value = %q %v %v, want it ours", v, ours, err)
	}
	sent("PutIfAbsent over an expired value", "/PutRow", "/GetRow", "/PutRow")
	if n, err := s.JoinAdd(ctx, "j", 1, []byte("new"), time.Hour); err != nil || n != 1 {
		t.Errorf("JoinAdd to an expired record = %d %v, want 1", n, err)
	}
	sent("JoinAdd to an expired record", "/UpdateRow", "/GetRow", "/PutRow")
	if rec, err := s.JoinGet(ctx, "j"); err != nil || len(rec) != 1 || string(rec[1]) != "new" {
		t.Errorf("JoinGet of the restarted record = %v %v", rec, err)
	}
}

// TestTableStoreGetMany checks that GetMany reads 100 rows a BatchGetRow
// and treats an expired value as absent.
func TestTableStoreGetMany(t *testing.T) {
	f, srv := newFakeOTS(t)
	s := newTestTableStore(t, srv.URL, "many")
	clock := &testClock{t: time.Unix(1_700_000_000, 0)}
	s.now = clock.now
	ctx := context.Background()
	keys := putValues(t, s, 150)
	if _, _, err := s.PutIfAbsent(ctx, "short", []byte("gone"), time.Second); err != nil {
		t.Fatalf("PutIfAbsent: %v", err)
	}
	clock.add(time.Second)
	f.take()
	got, err := s.GetMany(ctx, append(keys, "short", "missing", keys[0]))
	if err != nil {
		t.Fatalf("GetMany: %v", err)
	}
	checkValues(t, got, keys)
	want := []string{"/BatchGetRow", "/BatchGetRow"}
	if paths := f.take(); !slices.Equal(paths, want) {
		t.Errorf("GetMany of 152 distinct keys sent %v, want %v", paths, want)
	}
	if rows := f.takeBatches(); !slices.Equal(rows, []int{100, 52}) {
		t.Errorf("GetMany of 152 distinct keys read %v rows a request, want 100 and 52", rows)
	}
	if got, err := s.GetMany(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("GetMany of no keys = %v %v, want nothing", got, err)
	}
	if paths := f.take(); len(paths) != 0 {
		t.Errorf("GetMany of no keys sent %v", paths)
	}
}

// TestTableStoreGetManyRowFailures checks that GetMany asks again for the
// rows a BatchGetRow failed to read for load, and fails with the row's
// code when they keep failing or fail for another reason.
func TestTableStoreGetManyRowFailures(t *testing.T) {
	f, s := newFailingTableStore(t)
	ctx := context.Background()
	// GetMany reads the keys in sorted order, so these three rows are in
	// the first request.
	keys := slices.Sorted(slices.Values(putValues(t, s, 120)))
	busy := fakeFault{path: "/BatchGetRow", code: "OTSServerBusy",
		rows: []string{"v:" + keys[3], "v:" + keys[50], "v:" + keys[99]}}
	f.take()
	f.takeBatches()

	f.fail(busy)
	got, err := s.GetMany(ctx, keys)
	if err != nil {
		t.Fatalf("GetMany with rows that failed once: %v", err)
	}
	checkValues(t, got, keys)
	want := slices.Repeat([]string{"/BatchGetRow"}, 3)
	if paths := f.take(); !slices.Equal(paths, want) {
		t.Errorf("GetMany with rows that failed once sent %v, want %v", paths, want)
	}
	if rows := f.takeBatches(); !slices.Equal(rows, []int{100, 3, 20}) {
		t.Errorf("GetMany with rows that failed once read %v rows a request, want "+
			"100, the 3 that failed, and 20", rows)
	}

	for range otsBatchAttempts {
		f.fail(busy)
	}
	_, err = s.GetMany(ctx, keys[:5])
	var oe *tablestore.OtsError
	if !errors.As(err, &oe) || oe.Code != "OTSServerBusy" ||
		!strings.Contains(err.Error(), "OTSServerBusy injected by the test") ||
		!strings.HasPrefix(err.Error(), "tablestore get-many: ") {
		t.Errorf("GetMany of a row that keeps failing = %v, want the row's code", err)
	}
	if Classify(err) != jlrt.FailureThrottled {
		t.Errorf("Classify(%v) = %v, want throttled", err, Classify(err))
	}
	if paths := f.take(); len(paths) != otsBatchAttempts {
		t.Errorf("GetMany of a row that keeps failing sent %v, want %d requests", paths,
			otsBatchAttempts)
	}

	f.fail(fakeFault{path: "/BatchGetRow", code: "OTSAuthFailed", rows: busy.rows})
	_, err = s.GetMany(ctx, keys[:5])
	if !errors.As(err, &oe) || oe.Code != "OTSAuthFailed" || Classify(err) !=
		jlrt.FailurePermanent {
		t.Errorf("GetMany of a row refused = %v, want the row's code", err)
	}
	if paths := f.take(); len(paths) != 1 {
		t.Errorf("GetMany of a row refused sent %v, want one request", paths)
	}
}

// putValues stores n values in s, each its key, and returns the keys.
func putValues(t *testing.T, s *TableStore, n int) []string {
	t.Helper()
	var keys []string
	for i := range n {
		k := "many/" + strconv.Itoa(i)
		if _, _, err := s.PutIfAbsent(context.Background(), k, []byte(k), time.Hour); err != nil {
			t.Fatalf("PutIfAbsent %s: %v", k, err)
		}
		keys = append(keys, k)
	}
	return keys
}

// checkValues checks that got holds the values putValues stored under
// keys, and nothing else.
func checkValues(t *testing.T, got map[string][]byte, keys []string) {
	t.Helper()
	for _, k := range keys {
		if string(got[k]) != k {
			t.Errorf("GetMany[%s] = %q, want %q", k, got[k], k)
		}
	}
	if len(got) != len(keys) {
		t.Errorf("GetMany returned %d values, want %d", len(got), len(keys))
	}
}

// checkLayout checks the rows the round trips left in the fake, written
// at now: the value "k" of 1.5 ms and the record "j" of an hour.
func checkLayout(t *testing.T, f *fakeOTS, now time.Time) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	rows := f.tables["trips"].rows
	value, join := rows["v:k"], rows["j:j"]
	if c := value["v"].value; c.typ != tablestore.VT_BLOB || string(c.b) != "a" {
		t.Errorf("the value row holds v = %+v, want the blob a", c)
	}
	if c := value["w"].value; c.typ != tablestore.VT_STRING || len(c.b) < 16 {
		t.Errorf("the value row holds w = %+v, want a random token", c)
	}
	// 1.5 ms is rounded up to whole milliseconds.
	if c := value["t"].value; c.typ != tablestore.VT_INTEGER || c.i != now.UnixMilli()+2 {
		t.Errorf("the value row holds t = %+v, want %d", c, now.UnixMilli()+2)
	}
	if c := join["n"].value; c.typ != tablestore.VT_INTEGER || c.i != 2 {
		t.Errorf("the join record holds n = %+v, want 2", c)
	}
	if c := join["t"].value; c.i != now.Add(time.Hour).UnixMilli() {
		t.Errorf("the join record holds t = %+v, want %d", c, now.Add(time.Hour).UnixMilli())
	}
	if len(join) != 4 {
		t.Errorf("the join record holds %d columns, want n, t, b0 and b1", len(join))
	}
}

// TestTableStoreLostReply checks that a write the service applied but
// whose reply was lost, and which the SDK therefore sent again, counts
// once and as the caller's own.
func TestTableStoreLostReply(t *testing.T) {
	f, srv := newFakeOTS(t)
	s := newTestTableStore(t, srv.URL, "lost")
	ctx := context.Background()
	f.take()
	f.fail(fakeFault{path: "/PutRow", drop: true})
	if v, ours, err := s.PutIfAbsent(ctx, "k", []byte("a"), time.Hour); err != nil || !ours ||
		string(v) != "a" {
		t.Errorf("PutIfAbsent whose reply was lost = %q %v %v, want it ours", v, ours, err)
	}
	if got, want := f.take(), []string{"/PutRow", "/PutRow", "/GetRow"}; !slices.Equal(got,
		want) {
		t.Errorf("PutIfAbsent sent %v, want %v", got, want)
	}
	f.fail(fakeFault{path: "/UpdateRow", drop: true})
	if n, err := s.JoinAdd(ctx, "j", 0, []byte("a"), time.Hour); err != nil || n != 1 {
		t.Errorf("JoinAdd whose reply was lost = %d %v, want 1", n, err)
	}
	if got, want := f.take(), []string{"/UpdateRow", "/UpdateRow", "/GetRow"}; !slices.Equal(
		got, want) {
		t.Errorf("JoinAdd sent %v, want %v", got, want)
	}
	if n, err := s.JoinAdd(ctx, "j", 1, []byte("b"), time.Hour); err != nil || n != 2 {
		t.Errorf("JoinAdd of the next index = %d %v, want 2", n, err)
	}
}

// otsFailureCases are error answers of the service, and what Classify
// should make of them.
var otsFailureCases = []struct {
	name  string
	fault fakeFault
	op    func(context.Context, *TableStore) error
	want  jlrt.Failure
}{
	{"refused", fakeFault{path: "/GetRow", status: http.StatusForbidden,
		code: "OTSAuthFailed"}, otsGet, jlrt.FailurePermanent},
	{"unavailable", fakeFault{path: "/PutRow", status: http.StatusServiceUnavailable,
		code: "OTSServerUnavailable"}, otsPut, jlrt.FailureUnavailable},
	{"internal error", fakeFault{path: "/UpdateRow", status: http.StatusInternalServerError,
		code: "OTSInternalServerError"}, otsJoinAdd, jlrt.FailureUnavailable},
	{"out of capacity", fakeFault{path: "/UpdateRow", status: http.StatusForbidden,
		code: "OTSNotEnoughCapacityUnit"}, otsJoinAdd, jlrt.FailureThrottled},
	{"busy", fakeFault{path: "/PutRow", status: http.StatusServiceUnavailable,
		code: "OTSServerBusy"}, otsPut, jlrt.FailureThrottled},
	{"row conflict", fakeFault{path: "/GetRow", status: http.StatusConflict,
		code: "OTSRowOperationConflict"}, otsJoinGet, jlrt.FailureThrottled},
	{"batch unavailable", fakeFault{path: "/BatchGetRow", status: http.StatusServiceUnavailable,
		code: "OTSServerUnavailable"}, otsGetMany, jlrt.FailureUnavailable},
	// The codes the error reference marks for retry whatever their status.
	{"table not ready", fakeFault{path: "/GetRow", status: http.StatusNotFound,
		code: "OTSTableNotReady", message: "The table is not ready."}, otsGet,
		jlrt.FailureUnavailable},
	{"too frequent", fakeFault{path: "/PutRow", status: http.StatusForbidden,
		code: "OTSQuotaExhausted", message: "Too frequent table operations."}, otsPut,
		jlrt.FailureThrottled},
	{"quota", fakeFault{path: "/PutRow", status: http.StatusForbidden,
		code: "OTSQuotaExhausted", message: "Number of tables exceeded the quota."}, otsPut,
		jlrt.FailurePermanent},
	{"partition unavailable", fakeFault{path: "/GetRow", status: http.StatusServiceUnavailable,
		code: "OTSPartitionUnavailable"}, otsGet, jlrt.FailureUnavailable},
	{"timeout", fakeFault{path: "/UpdateRow", status: http.StatusServiceUnavailable,
		code: "OTSTimeout"}, otsJoinAdd, jlrt.FailureUnavailable},
	{"bad parameter", fakeFault{path: "/PutRow", status: http.StatusBadRequest,
		code: "OTSParameterInvalid"}, otsPut, jlrt.FailurePermanent},
}

func otsGet(ctx context.Context, s *TableStore) error {
	_, _, err := s.Get(ctx, "k")
	return err
}

func otsGetMany(ctx context.Context, s *TableStore) error {
	_, err := s.GetMany(ctx, []string{"k", "l"})
	return err
}

func otsPut(ctx context.Context, s *TableStore) error {
	_, _, err := s.PutIfAbsent(ctx, "k", []byte("v"), time.Hour)
	return err
}

func otsJoinAdd(ctx context.Context, s *TableStore) error {
	_, err := s.JoinAdd(ctx, "j", 0, []byte("v"), time.Hour)
	return err
}

func otsJoinGet(ctx context.Context, s *TableStore) error {
	_, err := s.JoinGet(ctx, "j")
	return err
}

// newFailingTableStore returns the fake and a store on a table of it
// whose client does not retry, so that each fault reaches the store.
func newFailingTableStore(t *testing.T) (*fakeOTS, *TableStore) {
	f, srv := newFakeOTS(t)
	newTestTableStore(t, srv.URL, "failing")
	return f, NewTableStore(newOTSClient(srv.URL, 0), "failing")
}

// TestTableStoreErrors checks that an error answer surfaces wrapped, with
// the service's status and code, and that failures without an answer are
// classified as such.
func TestTableStoreErrors(t *testing.T) {
	f, s := newFailingTableStore(t)
	for _, c := range otsFailureCases {
		t.Run(c.name, func(t *testing.T) {
			f.fail(c.fault)
			err := c.op(context.Background(), s)
			var oe *tablestore.OtsError
			if !errors.As(err, &oe) || oe.HttpStatusCode != c.fault.status ||
				oe.Code != c.fault.code {
				t.Fatalf("error = %v, want the service's %d %s", err, c.fault.status, c.fault.code)
			}
			if !strings.HasPrefix(err.Error(), "tablestore ") {
				t.Errorf("error %q does not say what failed", err)
			}
		})
	}
	t.Run("no answer", func(t *testing.T) {
		down := httptest.NewServer(http.NotFoundHandler())
		down.Close()
		s := NewTableStore(newOTSClient(down.URL, 0), "failing")
		if err := otsPut(context.Background(), s); Classify(err) != jlrt.FailureNetwork {
			t.Errorf("PutIfAbsent on a closed port = %v, classified %v, want network", err,
				Classify(err))
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		f.fail(fakeFault{path: "/GetRow", delay: time.Second})
		time.AfterFunc(20*time.Millisecond, cancel)
		start := time.Now()
		err := otsGet(ctx, s)
		if Classify(err) != jlrt.FailureCanceled || time.Since(start) > 500*time.Millisecond {
			t.Errorf("Get canceled in flight = %v after %v, want canceled at once", err,
				time.Since(start))
		}
		if err := otsJoinAdd(ctx, s); !errors.Is(err, context.Canceled) {
			t.Errorf("JoinAdd with a canceled context = %v", err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		f.fail(fakeFault{path: "/UpdateRow", delay: time.Second})
		start := time.Now()
		err := otsJoinAdd(ctx, s)
		if !errors.Is(err, context.DeadlineExceeded) || Classify(err) != jlrt.FailureNetwork ||
			time.Since(start) > 500*time.Millisecond {
			t.Errorf("JoinAdd past its deadline = %v (%v) after %v, want the deadline at once",
				err, Classify(err), time.Since(start))
		}
	})
}

// TestTableStoreClassify checks what Classify makes of the service's
// error answers.
func TestTableStoreClassify(t *testing.T) {
	f, s := newFailingTableStore(t)
	for _, c := range otsFailureCases {
		f.fail(c.fault)
		err := c.op(context.Background(), s)
		if got := Classify(err); got != c.want || Retryable(err) != (c.want != jlrt.FailurePermanent) {
			t.Errorf("%s: Classify(%v) = %v, want %v", c.name, err, got, c.want)
		}
	}
}

func TestCreateTable(t *testing.T) {
	f, srv := newFakeOTS(t)
	client := newOTSClient(srv.URL, 10)
	ctx := context.Background()
	if err := CreateTable(ctx, client, "t"); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	// The new table refuses the first read as not ready; the SDK retries.
	if got, want := f.take(), []string{"/CreateTable", "/GetRow", "/GetRow"}; !slices.Equal(
		got, want) {
		t.Errorf("CreateTable sent %v, want %v", got, want)
	}
	f.mu.Lock()
	tb := f.tables["t"]
	pk, opts := tb.meta.PrimaryKey, tb.options
	f.mu.Unlock()
	if len(pk) != 1 || pk[0].GetName() != "k" ||
		pk[0].GetType() != otsprotocol.PrimaryKeyType_STRING {
		t.Errorf("the table's primary key is %v, want the string k", pk)
	}
	if opts.GetTimeToLive() != -1 || opts.GetMaxVersions() != 1 {
		t.Errorf("the table's options are %v, want no time to live and one version", opts)
	}

	if err := CreateTable(ctx, client, "t"); err != nil {
		t.Errorf("CreateTable of an existing table: %v", err)
	}
	if got, want := f.take(), []string{"/CreateTable", "/DescribeTable", "/GetRow"}; !slices.Equal(
		got, want) {
		t.Errorf("CreateTable of an existing table sent %v, want %v", got, want)
	}

	f.mu.Lock()
	f.tables["other"] = &fakeTable{
		meta: &otsprotocol.TableMeta{TableName: new("other"),
			PrimaryKey: []*otsprotocol.PrimaryKeySchema{{Name: new("id"),
				Type: otsprotocol.PrimaryKeyType_INTEGER.Enum()}}},
		options: &otsprotocol.TableOptions{TimeToLive: new(int32(-1)), MaxVersions: new(int32(1))},
		rows:    map[string]fakeRow{},
	}
	f.mu.Unlock()
	err := CreateTable(ctx, client, "other")
	if err == nil || !strings.Contains(err.Error(), "another primary key") {
		t.Errorf("CreateTable over a table with another key = %v, want an error", err)
	}
}

func TestTableStoreRejects(t *testing.T) {
	f, srv := newFakeOTS(t)
	s := newTestTableStore(t, srv.URL, "rejects")
	ctx := context.Background()
	f.take()
	if _, err := s.JoinAdd(ctx, "j", -1, []byte("v"), time.Hour); err == nil {
		t.Error("JoinAdd of a negative index succeeded")
	}
	if paths := f.take(); len(paths) != 0 {
		t.Errorf("JoinAdd of a negative index sent %v", paths)
	}
	// A record whose count and branches disagree (a cell removed by
	// TableStore's own time to live, say) is an error, not a short join.
	f.mu.Lock()
	f.tables["rejects"].rows["j:short"] = fakeRow{
		"n":  {value: pbValue{typ: tablestore.VT_INTEGER, i: 2}},
		"b0": {value: pbValue{typ: tablestore.VT_BLOB, b: []byte("v")}},
	}
	f.mu.Unlock()
	if rec, err := s.JoinGet(ctx, "short"); err == nil {
		t.Errorf("JoinGet of a record short of an index = %v, want an error", rec)
	}
}

// BenchmarkTableStore measures the store's operations against the fake
// TableStore: the cost of the SDK, its protobuf and PlainBuffer encoding
// and the fake's, not TableStore's latency.
func BenchmarkTableStore(b *testing.B) {
	_, srv := newFakeOTS(b)
	storetest.Bench(b, newTestTableStore(b, srv.URL, "bench"))
}
