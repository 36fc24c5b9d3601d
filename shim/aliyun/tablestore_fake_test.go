package aliyun

// This file is a fake TableStore for the tests of TableStore, the store.
// It is written from the protocol, not an emulator of the service: from
// what the Go SDK sends (api.go, ots_header.go, plain_buffer.go), the
// protobuf messages of the SDK's otsprotocol package, the PlainBuffer
// encoding of rows, and Alibaba's documentation of conditional updates,
// atomic counters and error codes. No TableStore emulator exists; where
// the documentation leaves the service's behaviour open (comparing
// columns of different types, for one), the fake refuses the request, so
// that a test fails rather than rely on a guess.
//
// It checks every request as the service would (method, path, the x-ots-*
// headers, the MD5 of the body, the signature, the protobuf body, the
// PlainBuffer rows and their checksums), and keeps its tables in memory
// under a mutex: CreateTable, DescribeTable, GetRow, BatchGetRow, PutRow
// and UpdateRow with row existence and column conditions, atomic
// increments and RT_AFTER_MODIFY.

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/aliyun-tablestore-go-sdk/v5/tablestore"
	"github.com/aliyun/aliyun-tablestore-go-sdk/v5/tablestore/otsprotocol"
	"github.com/golang/protobuf/proto"
)

// The credentials and instance the fake accepts.
const (
	fakeOTSInstance = "jlgen-test"
	fakeOTSKeyID    = "test-access-key-id"
	fakeOTSSecret   = "test-access-key-secret"
)

// otsAPIVersion is the only API version the service speaks.
const otsAPIVersion = "2015-12-31"

// fakeOTS is an httptest handler that answers TableStore's row API.
type fakeOTS struct {
	t  testing.TB
	mu sync.Mutex
	// tables holds the tables by name.
	tables map[string]*fakeTable
	// faults are answers to give instead of the real ones, in order.
	faults []fakeFault
	// paths are the actions it was sent, in order.
	paths    []string
	requests int
	// batches are how many rows each BatchGetRow it answered read, in
	// order.
	batches []int
}

// fakeTable is one table: its schema and options, and its rows by key.
type fakeTable struct {
	meta    *otsprotocol.TableMeta
	options *otsprotocol.TableOptions
	rows    map[string]fakeRow
	// loading is how many more requests on rows the table refuses, as a
	// table the service is still loading.
	loading int
}

// fakeRow is the columns of a row by name, one version each.
type fakeRow map[string]fakeCell

type fakeCell struct {
	value pbValue
	ts    int64
}

// fakeFault replaces the answer to the next request on path.
type fakeFault struct {
	path string
	// status, code and message are the error to answer with, unless
	// status is 0; an empty message is "injected by the test".
	status        int
	code, message string
	// drop applies the request and closes the connection unanswered, as
	// when the reply is lost.
	drop bool
	// delay holds the answer back.
	delay time.Duration
	// rows, when status is 0, are the keys of rows (the table's, such as
	// "v:k") that a BatchGetRow answers as failed with code, while it reads
	// the others, as the service does with a row it cannot read for now.
	rows []string
}

// otsFailure is an error answer: HTTP status, TableStore's code and
// message.
type otsFailure struct {
	status        int
	code, message string
}

func conditionFailed() *otsFailure {
	return &otsFailure{http.StatusForbidden, "OTSConditionCheckFail", "Condition check failed."}
}

func invalid(format string, args ...any) *otsFailure {
	return &otsFailure{http.StatusBadRequest, "OTSParameterInvalid", fmt.Sprintf(format, args...)}
}

// newFakeOTS starts a fake TableStore, which lives until the test ends.
func newFakeOTS(t testing.TB) (*fakeOTS, *httptest.Server) {
	f := &fakeOTS{t: t, tables: map[string]*fakeTable{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

// newOTSClient returns a client of the fake at url that retries at most
// retries times, as the SDK's configuration lets it.
func newOTSClient(url string, retries uint) *tablestore.TableStoreClient {
	cfg := tablestore.NewDefaultTableStoreConfig()
	cfg.RetryTimes = retries
	cfg.HTTPTimeout.RequestTimeout = 10 * time.Second
	return tablestore.NewClientWithConfig(url, fakeOTSInstance, fakeOTSKeyID, fakeOTSSecret,
		"", cfg)
}

// takeBatches returns how many rows each BatchGetRow the fake answered
// since the last takeBatches read.
func (f *fakeOTS) takeBatches() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	batches := f.batches
	f.batches = nil
	return batches
}

// fail queues faults.
func (f *fakeOTS) fail(faults ...fakeFault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, faults...)
}

// take returns the actions the fake was sent since the last take.
func (f *fakeOTS) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	paths := f.paths
	f.paths = nil
	return paths
}

func (f *fakeOTS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("fake tablestore: read %s: %v", r.URL.Path, err)
		return
	}
	if fail := checkOTSRequest(r, body); fail != nil {
		f.t.Errorf("fake tablestore: %s %s: %s %s", r.Method, r.URL.Path, fail.code,
			fail.message)
		f.answer(w, nil, fail)
		return
	}
	fault := f.fault(r.URL.Path)
	time.Sleep(fault.delay)
	if fault.status != 0 {
		msg := cmp.Or(fault.message, "injected by the test")
		f.answer(w, nil, &otsFailure{fault.status, fault.code, msg})
		return
	}
	reply, fail := f.handle(r.URL.Path, body, fault)
	if fail != nil && fail.code == "OTSParameterInvalid" {
		f.t.Errorf("fake tablestore: %s: %s", r.URL.Path, fail.message)
	}
	if fault.drop {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	f.answer(w, reply, fail)
}

// fault takes the first fault queued for path, and records the path.
func (f *fakeOTS) fault(path string) fakeFault {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.paths = append(f.paths, path)
	for i, fault := range f.faults {
		if fault.path == path {
			f.faults = slices.Delete(f.faults, i, i+1)
			return fault
		}
	}
	return fakeFault{}
}

// answer writes reply, or fail, as the service does: a protobuf message,
// and an Error message with the HTTP status of a failure.
func (f *fakeOTS) answer(w http.ResponseWriter, reply proto.Message, fail *otsFailure) {
	f.mu.Lock()
	f.requests++
	w.Header().Set("x-ots-requestid", "fake-"+strconv.Itoa(f.requests))
	f.mu.Unlock()
	if fail != nil {
		body, _ := proto.Marshal(&otsprotocol.Error{Code: &fail.code, Message: &fail.message})
		w.WriteHeader(fail.status)
		w.Write(body)
		return
	}
	body, err := proto.Marshal(reply)
	if err != nil {
		f.t.Errorf("fake tablestore: encode %T: %v", reply, err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.Write(body)
}

// checkOTSRequest checks what the service checks of every request before
// it reads the body.
func checkOTSRequest(r *http.Request, body []byte) *otsFailure {
	if r.Method != http.MethodPost {
		return &otsFailure{http.StatusMethodNotAllowed, "OTSMethodNotAllowed",
			"Only POST method for requests is supported."}
	}
	for _, name := range []string{"x-ots-date", "x-ots-apiversion", "x-ots-accesskeyid",
		"x-ots-instancename", "x-ots-contentmd5", "x-ots-signature"} {
		if r.Header.Get(name) == "" {
			return invalid("Missing header: '%s'.", name)
		}
	}
	if v := r.Header.Get("x-ots-apiversion"); v != otsAPIVersion {
		return invalid("Unsupported API version: %s.", v)
	}
	denied := func(msg string) *otsFailure {
		return &otsFailure{http.StatusForbidden, "OTSAuthFailed", msg}
	}
	if r.Header.Get("x-ots-accesskeyid") != fakeOTSKeyID {
		return denied("The AccessKeyID does not exist.")
	}
	if r.Header.Get("x-ots-instancename") != fakeOTSInstance {
		return denied("The instance is not found.")
	}
	// The SDK writes the date with a layout that Go reads as month, day and
	// hour where the milliseconds should be; the seconds before are right.
	date := r.Header.Get("x-ots-date")
	sent, err := time.Parse("2006-01-02T15:04:05", date[:min(len(date), 19)])
	if err != nil {
		return invalid("Invalid date format: %s.", date)
	}
	if d := time.Since(sent); d > 15*time.Minute || d < -15*time.Minute {
		return denied("Mismatch between system time and x-ots-date: " + date + ".")
	}
	sum := md5.Sum(body)
	if r.Header.Get("x-ots-contentmd5") != base64.StdEncoding.EncodeToString(sum[:]) {
		return denied("Mismatch between MD5 value of request body and x-ots-contentmd5 " +
			"in header.")
	}
	if r.Header.Get("x-ots-signature") != otsSignature(r.URL.Path, r.Header) {
		return denied("Signature mismatch.")
	}
	return nil
}

// otsSignature is the signature of a request: HMAC-SHA1 with the secret
// over the path, the method, an empty query and the x-ots-* headers but
// the signature, sorted, one "name:value" a line.
func otsSignature(path string, h http.Header) string {
	var names []string
	for name := range h {
		name = strings.ToLower(name)
		if strings.HasPrefix(name, "x-ots-") && name != "x-ots-signature" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(path + "\nPOST\n\n")
	for _, name := range names {
		b.WriteString(name + ":" + strings.TrimSpace(h.Get(name)) + "\n")
	}
	mac := hmac.New(sha1.New, []byte(fakeOTSSecret))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// handle answers one action, under the lock; fault may fail rows of it.
func (f *fakeOTS) handle(path string, body []byte, fault fakeFault) (proto.Message,
	*otsFailure) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch path {
	case "/CreateTable":
		return f.createTable(body)
	case "/DescribeTable":
		return f.describeTable(body)
	case "/GetRow":
		return f.getRow(body)
	case "/BatchGetRow":
		return f.batchGetRow(body, fault)
	case "/PutRow":
		return f.putRow(body)
	case "/UpdateRow":
		return f.updateRow(body)
	}
	return nil, invalid("fake: the action %s is not modelled", path)
}

func decodeMessage(body []byte, m proto.Message) *otsFailure {
	if err := proto.Unmarshal(body, m); err != nil {
		return invalid("fake: decode %T: %v", m, err)
	}
	return nil
}

func (f *fakeOTS) createTable(body []byte) (proto.Message, *otsFailure) {
	var req otsprotocol.CreateTableRequest
	if fail := decodeMessage(body, &req); fail != nil {
		return nil, fail
	}
	name := req.TableMeta.GetTableName()
	if _, ok := f.tables[name]; ok {
		return nil, &otsFailure{http.StatusConflict, "OTSObjectAlreadyExist",
			"Requested table already exists."}
	}
	if len(req.TableMeta.PrimaryKey) == 0 || len(req.IndexMetas) > 0 ||
		len(req.TableMeta.DefinedColumn) > 0 || req.StreamSpec.GetEnableStream() {
		return nil, invalid("fake: table %s: only primary keys are modelled", name)
	}
	opts := req.TableOptions
	if ttl := opts.GetTimeToLive(); ttl != -1 && ttl < 86400 {
		return nil, invalid("The time to live must be -1 or at least 86400 seconds: %d.", ttl)
	}
	if opts.GetMaxVersions() < 1 {
		return nil, invalid("The max versions must be at least 1.")
	}
	f.tables[name] = &fakeTable{meta: req.TableMeta, options: opts, rows: map[string]fakeRow{},
		loading: 1}
	return &otsprotocol.CreateTableResponse{}, nil
}

func (f *fakeOTS) describeTable(body []byte) (proto.Message, *otsFailure) {
	var req otsprotocol.DescribeTableRequest
	if fail := decodeMessage(body, &req); fail != nil {
		return nil, fail
	}
	tb, ok := f.tables[req.GetTableName()]
	if !ok {
		return nil, &otsFailure{http.StatusNotFound, "OTSObjectNotExist",
			"Requested table does not exist."}
	}
	opts := &otsprotocol.TableOptions{TimeToLive: tb.options.TimeToLive,
		MaxVersions: tb.options.MaxVersions, DeviationCellVersionInSec: proto.Int64(86400)}
	return &otsprotocol.DescribeTableResponse{
		TableMeta: tb.meta,
		ReservedThroughputDetails: &otsprotocol.ReservedThroughputDetails{
			CapacityUnit:     &otsprotocol.CapacityUnit{Read: proto.Int32(0), Write: proto.Int32(0)},
			LastIncreaseTime: proto.Int64(0)},
		TableOptions: opts,
		TableStatus:  otsprotocol.TableStatus_ACTIVE.Enum(),
	}, nil
}

// table returns the table a row action names.
func (f *fakeOTS) table(name string) (*fakeTable, *otsFailure) {
	tb, ok := f.tables[name]
	if !ok {
		return nil, &otsFailure{http.StatusNotFound, "OTSObjectNotExist",
			"Requested table does not exist."}
	}
	if tb.loading > 0 {
		tb.loading--
		return nil, &otsFailure{http.StatusNotFound, "OTSTableNotReady", "The table is not ready."}
	}
	return tb, nil
}

// row decodes the PlainBuffer of a row action: one row, and its key.
func (tb *fakeTable) row(data []byte) (pbRow, string, *otsFailure) {
	rows, err := decodeRows(data)
	if err != nil {
		return pbRow{}, "", invalid("fake: %v", err)
	}
	if len(rows) != 1 || rows[0].deleted {
		return pbRow{}, "", invalid("fake: want one row, got %d", len(rows))
	}
	pk, schema := rows[0].pk, tb.meta.PrimaryKey
	if len(schema) != 1 || len(pk) != 1 || pk[0].name != schema[0].GetName() ||
		pk[0].value == nil || pk[0].value.typ != tablestore.VT_STRING ||
		schema[0].GetType() != otsprotocol.PrimaryKeyType_STRING || pk[0].hasOp {
		return pbRow{}, "", invalid("fake: the primary key does not match the table's")
	}
	if n := len(pk[0].value.b); n > 1024 {
		return pbRow{}, "", invalid("The length of primary key column: '%s' exceeded the "+
			"MaxLength:1024 with CurrentLength:%d.", pk[0].name, n)
	}
	return rows[0], string(pk[0].value.b), nil
}

func consumed(read, write int32) *otsprotocol.ConsumedCapacity {
	return &otsprotocol.ConsumedCapacity{CapacityUnit: &otsprotocol.CapacityUnit{
		Read: proto.Int32(read), Write: proto.Int32(write)}}
}

func (f *fakeOTS) getRow(body []byte) (proto.Message, *otsFailure) {
	var req otsprotocol.GetRowRequest
	if fail := decodeMessage(body, &req); fail != nil {
		return nil, fail
	}
	if req.Filter != nil || req.TimeRange != nil || req.StartColumn != nil ||
		req.EndColumn != nil || req.Token != nil || req.TransactionId != nil {
		return nil, invalid("fake: GetRow with more than columns and max versions")
	}
	if req.GetMaxVersions() < 1 {
		return nil, invalid("Neither time range nor max versions is specified.")
	}
	tb, fail := f.table(req.GetTableName())
	if fail != nil {
		return nil, fail
	}
	pk, key, fail := tb.row(req.PrimaryKey)
	if fail != nil {
		return nil, fail
	}
	if len(pk.cells) > 0 {
		return nil, invalid("fake: GetRow with attribute columns in its primary key")
	}
	resp := &otsprotocol.GetRowResponse{Consumed: consumed(1, 0), Row: []byte{}}
	if cells := tb.rows[key].cells(req.ColumnsToGet); len(cells) > 0 {
		resp.Row = encodeRow(pbRow{pk: pk.pk, cells: cells})
	}
	return resp, nil
}

// otsMaxBatchRows is how many rows a BatchGetRow may read at most, in all
// of its tables.
const otsMaxBatchRows = 100

// batchGetRow answers a BatchGetRow: each row as GetRow would, in the
// order asked, but the rows that fault names, which fail with its code.
// As the service, it fails the request as a whole for a table that does
// not exist or is named twice, a table of no rows, a row named twice in a
// table, and more than 100 rows in all.
func (f *fakeOTS) batchGetRow(body []byte, fault fakeFault) (proto.Message, *otsFailure) {
	var req otsprotocol.BatchGetRowRequest
	if fail := decodeMessage(body, &req); fail != nil {
		return nil, fail
	}
	if len(req.Tables) == 0 {
		return nil, invalid("fake: BatchGetRow of no tables")
	}
	resp := &otsprotocol.BatchGetRowResponse{}
	named, total := map[string]bool{}, 0
	for _, in := range req.Tables {
		name := in.GetTableName()
		if named[name] {
			return nil, invalid("fake: BatchGetRow names the table %s twice", name)
		}
		named[name] = true
		if total += len(in.PrimaryKey); total > otsMaxBatchRows {
			return nil, invalid("Rows count exceeds the upper limit: %d.", otsMaxBatchRows)
		}
		out, fail := f.batchGetTable(in, fault)
		if fail != nil {
			return nil, fail
		}
		resp.Tables = append(resp.Tables, out)
	}
	f.batches = append(f.batches, total)
	return resp, nil
}

// batchGetTable answers the rows of one table of a BatchGetRow.
func (f *fakeOTS) batchGetTable(in *otsprotocol.TableInBatchGetRowRequest,
	fault fakeFault) (*otsprotocol.TableInBatchGetRowResponse, *otsFailure) {
	if in.Filter != nil || in.TimeRange != nil || in.StartColumn != nil ||
		in.EndColumn != nil || len(in.Token) > 0 {
		return nil, invalid("fake: BatchGetRow with more than columns and max versions")
	}
	if in.GetMaxVersions() < 1 {
		return nil, invalid("Neither time range nor max versions is specified.")
	}
	if len(in.PrimaryKey) == 0 {
		return nil, invalid("fake: BatchGetRow of no rows of table %s", in.GetTableName())
	}
	for _, name := range in.ColumnsToGet {
		if !columnName.MatchString(name) {
			return nil, invalid("Invalid column name: '%s'.", name)
		}
	}
	tb, fail := f.table(in.GetTableName())
	if fail != nil {
		return nil, fail
	}
	out := &otsprotocol.TableInBatchGetRowResponse{TableName: in.TableName}
	seen := map[string]bool{}
	for _, data := range in.PrimaryKey {
		pk, key, fail := tb.row(data)
		if fail != nil {
			return nil, fail
		}
		if len(pk.cells) > 0 {
			return nil, invalid("fake: BatchGetRow with attribute columns in a primary key")
		}
		if seen[key] {
			return nil, invalid("The input parameter is invalid.")
		}
		seen[key] = true
		out.Rows = append(out.Rows, batchRow(tb.rows[key], pk, in.ColumnsToGet,
			slices.Contains(fault.rows, key), fault.code))
	}
	return out, nil
}

// batchRow is the answer for one row of a BatchGetRow: its columns named
// in names, an empty row when it has none, or the error code when failed.
func batchRow(row fakeRow, pk pbRow, names []string, failed bool,
	code string) *otsprotocol.RowInBatchGetRowResponse {
	if failed {
		return &otsprotocol.RowInBatchGetRowResponse{IsOk: proto.Bool(false),
			Error: &otsprotocol.Error{Code: proto.String(code),
				Message: proto.String("injected by the test")}}
	}
	out := &otsprotocol.RowInBatchGetRowResponse{IsOk: proto.Bool(true),
		Consumed: consumed(1, 0), Row: []byte{}}
	if cells := row.cells(names); len(cells) > 0 {
		out.Row = encodeRow(pbRow{pk: pk.pk, cells: cells})
	}
	return out
}

// cells returns the columns of the row named in names, or all of them,
// sorted by name as the service returns them.
func (r fakeRow) cells(names []string) []pbCell {
	var cells []pbCell
	for name, c := range r {
		if len(names) == 0 || slices.Contains(names, name) {
			cells = append(cells, pbCell{name: name, value: &c.value, ts: c.ts, hasTS: true})
		}
	}
	slices.SortFunc(cells, func(a, b pbCell) int { return strings.Compare(a.name, b.name) })
	return cells
}

var columnName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,254}$`)

// checkColumns checks the attribute columns of a write: valid names, each
// once.
func checkColumns(cells []pbCell) *otsFailure {
	seen := map[string]bool{}
	for _, c := range cells {
		if !columnName.MatchString(c.name) {
			return invalid("Invalid column name: '%s'.", c.name)
		}
		if seen[c.name] {
			return invalid("Duplicated attribute column %s.", c.name)
		}
		seen[c.name] = true
	}
	return nil
}

func (f *fakeOTS) putRow(body []byte) (proto.Message, *otsFailure) {
	var req otsprotocol.PutRowRequest
	if fail := decodeMessage(body, &req); fail != nil {
		return nil, fail
	}
	if req.ReturnContent.GetReturnType() != otsprotocol.ReturnType_RT_NONE ||
		req.TransactionId != nil {
		return nil, invalid("fake: PutRow returning content or in a transaction")
	}
	tb, fail := f.table(req.GetTableName())
	if fail != nil {
		return nil, fail
	}
	row, key, fail := tb.row(req.Row)
	if fail != nil {
		return nil, fail
	}
	if fail := checkColumns(row.cells); fail != nil {
		return nil, fail
	}
	for _, c := range row.cells {
		if c.value == nil || c.hasOp {
			return nil, invalid("fake: PutRow column %s without a value or with an "+
				"operation", c.name)
		}
	}
	if fail := checkCondition(tb.rows[key], req.Condition); fail != nil {
		return nil, fail
	}
	now := time.Now().UnixMilli()
	next := fakeRow{}
	for _, c := range row.cells {
		next[c.name] = fakeCell{value: *c.value, ts: now}
	}
	tb.rows[key] = next
	return &otsprotocol.PutRowResponse{Consumed: consumed(0, 1)}, nil
}

func (f *fakeOTS) updateRow(body []byte) (proto.Message, *otsFailure) {
	var req otsprotocol.UpdateRowRequest
	if fail := decodeMessage(body, &req); fail != nil {
		return nil, fail
	}
	ret := req.ReturnContent.GetReturnType()
	if ret == otsprotocol.ReturnType_RT_PK || req.TransactionId != nil {
		return nil, invalid("fake: UpdateRow returning the primary key or in a transaction")
	}
	tb, fail := f.table(req.GetTableName())
	if fail != nil {
		return nil, fail
	}
	change, key, fail := tb.row(req.RowChange)
	if fail != nil {
		return nil, fail
	}
	if fail := checkColumns(change.cells); fail != nil {
		return nil, fail
	}
	cur := tb.rows[key]
	if fail := checkCondition(cur, req.Condition); fail != nil {
		return nil, fail
	}
	next := fakeRow{}
	for name, c := range cur {
		next[name] = c
	}
	incremented, fail := next.apply(change.cells, time.Now().UnixMilli())
	if fail != nil {
		return nil, fail
	}
	resp := &otsprotocol.UpdateRowResponse{Consumed: consumed(1, 1)}
	if ret == otsprotocol.ReturnType_RT_AFTER_MODIFY {
		names := req.ReturnContent.ReturnColumnNames
		for _, name := range names {
			if !incremented[name] {
				return nil, invalid("fake: returns column %s, which it does not increment", name)
			}
		}
		resp.Row = encodeRow(pbRow{pk: change.pk, cells: next.cells(names)})
	}
	tb.rows[key] = next
	return resp, nil
}

// apply applies the cells of an UpdateRow to the row, and returns the
// columns it incremented.
func (r fakeRow) apply(cells []pbCell, now int64) (map[string]bool, *otsFailure) {
	incremented := map[string]bool{}
	for _, c := range cells {
		switch {
		case !c.hasOp && c.value != nil:
			r[c.name] = fakeCell{value: *c.value, ts: now}
		case c.hasOp && c.op == tablestore.DELETE_ALL_VERSION && c.value == nil:
			delete(r, c.name)
		case c.hasOp && c.op == tablestore.INCREMENT && c.value != nil &&
			c.value.typ == tablestore.VT_INTEGER:
			old, ok := r[c.name]
			if ok && old.value.typ != tablestore.VT_INTEGER {
				return nil, invalid("The type of atomic increment column %s is not integer.",
					c.name)
			}
			sum := old.value.i + c.value.i
			if (c.value.i > 0 && sum < old.value.i) || (c.value.i < 0 && sum > old.value.i) {
				return nil, invalid("The value of column %s overflows.", c.name)
			}
			r[c.name] = fakeCell{value: pbValue{typ: tablestore.VT_INTEGER, i: sum}, ts: now}
			incremented[c.name] = true
		default:
			return nil, invalid("fake: UpdateRow column %s: operation %d not modelled",
				c.name, c.op)
		}
	}
	return incremented, nil
}

// checkCondition checks a write's condition against the row it writes,
// nil when there is none.
func checkCondition(row fakeRow, c *otsprotocol.Condition) *otsFailure {
	switch c.GetRowExistence() {
	case otsprotocol.RowExistenceExpectation_EXPECT_EXIST:
		if row == nil {
			return conditionFailed()
		}
	case otsprotocol.RowExistenceExpectation_EXPECT_NOT_EXIST:
		if row != nil {
			return conditionFailed()
		}
	}
	if c.ColumnCondition == nil {
		return nil
	}
	ok, fail := evalFilter(row, c.ColumnCondition)
	if fail != nil {
		return fail
	}
	if !ok {
		return conditionFailed()
	}
	return nil
}

// evalFilter evaluates a serialized Filter against row. A column the row
// lacks passes a single condition unless filter_if_missing is set.
func evalFilter(row fakeRow, data []byte) (bool, *otsFailure) {
	var filter otsprotocol.Filter
	if fail := decodeMessage(data, &filter); fail != nil {
		return false, fail
	}
	switch filter.GetType() {
	case otsprotocol.FilterType_FT_SINGLE_COLUMN_VALUE:
		var single otsprotocol.SingleColumnValueFilter
		if fail := decodeMessage(filter.Filter, &single); fail != nil {
			return false, fail
		}
		return evalSingle(row, &single)
	case otsprotocol.FilterType_FT_COMPOSITE_COLUMN_VALUE:
		var comp otsprotocol.CompositeColumnValueFilter
		if fail := decodeMessage(filter.Filter, &comp); fail != nil {
			return false, fail
		}
		return evalComposite(row, &comp)
	}
	return false, invalid("fake: filter type %v not modelled", filter.GetType())
}

func evalSingle(row fakeRow, s *otsprotocol.SingleColumnValueFilter) (bool, *otsFailure) {
	if s.ValueTransRule != nil {
		return false, invalid("fake: value transfer rules are not modelled")
	}
	want, err := decodeVariant(s.ColumnValue)
	if err != nil {
		return false, invalid("fake: condition on %s: %v", s.GetColumnName(), err)
	}
	cell, ok := row[s.GetColumnName()]
	if !ok {
		return !s.GetFilterIfMissing(), nil
	}
	if cell.value.typ != want.typ {
		return false, invalid("fake: compares column %s of type %d with a value of type %d",
			s.GetColumnName(), cell.value.typ, want.typ)
	}
	cmp := cell.value.compare(want)
	switch s.GetComparator() {
	case otsprotocol.ComparatorType_CT_EQUAL:
		return cmp == 0, nil
	case otsprotocol.ComparatorType_CT_NOT_EQUAL:
		return cmp != 0, nil
	case otsprotocol.ComparatorType_CT_GREATER_THAN:
		return cmp > 0, nil
	case otsprotocol.ComparatorType_CT_GREATER_EQUAL:
		return cmp >= 0, nil
	case otsprotocol.ComparatorType_CT_LESS_THAN:
		return cmp < 0, nil
	case otsprotocol.ComparatorType_CT_LESS_EQUAL:
		return cmp <= 0, nil
	}
	return false, invalid("fake: comparator %v", s.GetComparator())
}

func evalComposite(row fakeRow, c *otsprotocol.CompositeColumnValueFilter) (bool,
	*otsFailure) {
	var results []bool
	for _, sub := range c.SubFilters {
		data, err := proto.Marshal(sub)
		if err != nil {
			return false, invalid("fake: %v", err)
		}
		ok, fail := evalFilter(row, data)
		if fail != nil {
			return false, fail
		}
		results = append(results, ok)
	}
	if len(results) == 0 {
		return false, invalid("A composite condition takes at least one condition.")
	}
	switch c.GetCombinator() {
	case otsprotocol.LogicalOperator_LO_NOT:
		if len(results) != 1 {
			return false, invalid("NOT takes one condition, not %d.", len(results))
		}
		return !results[0], nil
	case otsprotocol.LogicalOperator_LO_AND:
		return !slices.Contains(results, false), nil
	case otsprotocol.LogicalOperator_LO_OR:
		return slices.Contains(results, true), nil
	}
	return false, invalid("fake: combinator %v", c.GetCombinator())
}

// PlainBuffer, TableStore's encoding of rows: a header, then rows of
// tagged cells, each with a CRC-8 checksum, as the SDK writes and reads
// them (plain_buffer.go); the tags and types are the SDK's constants.

// pbValue is a PlainBuffer value: an integer, double (its bits) or
// boolean in i, a string or blob in b.
type pbValue struct {
	typ byte
	i   int64
	b   []byte
}

// compare compares two values of the same type.
func (v pbValue) compare(w pbValue) int {
	switch v.typ {
	case tablestore.VT_STRING, tablestore.VT_BLOB:
		return bytes.Compare(v.b, w.b)
	case tablestore.VT_DOUBLE:
		x, y := math.Float64frombits(uint64(v.i)), math.Float64frombits(uint64(w.i))
		return cmpOrdered(x, y)
	}
	return cmpOrdered(v.i, w.i)
}

func cmpOrdered[T int64 | float64](x, y T) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// pbCell is a PlainBuffer cell: a name, maybe a value, maybe an operation
// (the cell type of an UpdateRow) and maybe a timestamp.
type pbCell struct {
	name  string
	value *pbValue
	op    byte
	hasOp bool
	ts    int64
	hasTS bool
}

// pbRow is a PlainBuffer row.
type pbRow struct {
	pk, cells []pbCell
	deleted   bool
}

// pbReader reads PlainBuffer; its first error sticks.
type pbReader struct {
	b   []byte
	err error
}

func (r *pbReader) failf(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("plainbuffer: "+format, args...)
	}
}

func (r *pbReader) next(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.b) < n {
		r.failf("want %d bytes, have %d", n, len(r.b))
		return nil
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func (r *pbReader) byte() byte {
	if p := r.next(1); p != nil {
		return p[0]
	}
	return 0
}

func (r *pbReader) int32() int32 {
	if p := r.next(4); p != nil {
		return int32(binary.LittleEndian.Uint32(p))
	}
	return 0
}

func (r *pbReader) int64() int64 {
	if p := r.next(8); p != nil {
		return int64(binary.LittleEndian.Uint64(p))
	}
	return 0
}

// tag reports whether the next byte is tag, and reads it if so.
func (r *pbReader) tag(tag byte) bool {
	if r.err != nil || len(r.b) == 0 || r.b[0] != tag {
		return false
	}
	r.b = r.b[1:]
	return true
}

func (r *pbReader) expect(tag byte) {
	if !r.tag(tag) {
		r.failf("want tag %#x", tag)
	}
}

// decodeRows decodes the rows of a PlainBuffer, checking its checksums.
func decodeRows(data []byte) ([]pbRow, error) {
	r := &pbReader{b: data}
	if h := r.int32(); h != tablestore.HEADER {
		r.failf("header %#x", h)
	}
	var rows []pbRow
	for r.err == nil && len(r.b) > 0 {
		rows = append(rows, r.row())
	}
	return rows, r.err
}

func (r *pbReader) row() pbRow {
	var row pbRow
	r.expect(tablestore.TAG_ROW_PK)
	row.pk = r.cells()
	if r.tag(tablestore.TAG_ROW_DATA) {
		row.cells = r.cells()
	}
	row.deleted = r.tag(tablestore.TAG_DELETE_ROW_MARKER)
	r.expect(tablestore.TAG_ROW_CHECKSUM)
	if sum := r.byte(); r.err == nil && sum != row.checksum() {
		r.failf("row checksum %#x, want %#x", sum, row.checksum())
	}
	return row
}

func (r *pbReader) cells() []pbCell {
	var cells []pbCell
	for r.tag(tablestore.TAG_CELL) {
		cells = append(cells, r.cell())
	}
	return cells
}

func (r *pbReader) cell() pbCell {
	var c pbCell
	r.expect(tablestore.TAG_CELL_NAME)
	c.name = string(r.next(int(r.int32())))
	if r.tag(tablestore.TAG_CELL_VALUE) {
		sub := &pbReader{b: r.next(int(r.int32()))}
		v := sub.variant()
		if sub.err == nil && len(sub.b) > 0 {
			sub.failf("cell %s: %d bytes after the value", c.name, len(sub.b))
		}
		if sub.err != nil {
			r.failf("cell %s: %v", c.name, sub.err)
		}
		c.value = &v
	}
	if c.hasOp = r.tag(tablestore.TAG_CELL_TYPE); c.hasOp {
		c.op = r.byte()
	}
	if c.hasTS = r.tag(tablestore.TAG_CELL_TIMESTAMP); c.hasTS {
		c.ts = r.int64()
	}
	r.expect(tablestore.TAG_CELL_CHECKSUM)
	if sum := r.byte(); r.err == nil && sum != c.checksum() {
		r.failf("cell %s checksum %#x, want %#x", c.name, sum, c.checksum())
	}
	return c
}

// variant reads a value's type and payload.
func (r *pbReader) variant() pbValue {
	v := pbValue{typ: r.byte()}
	switch v.typ {
	case tablestore.VT_INTEGER, tablestore.VT_DOUBLE:
		v.i = r.int64()
	case tablestore.VT_BOOLEAN:
		v.i = int64(r.byte())
	case tablestore.VT_STRING, tablestore.VT_BLOB:
		v.b = slices.Clone(r.next(int(r.int32())))
	case tablestore.VT_INF_MIN, tablestore.VT_INF_MAX, tablestore.VT_AUTO_INCREMENT:
	default:
		r.failf("value type %#x", v.typ)
	}
	return v
}

// decodeVariant decodes a value without its length, as a column condition
// carries it.
func decodeVariant(data []byte) (pbValue, error) {
	r := &pbReader{b: data}
	v := r.variant()
	if r.err == nil && len(r.b) > 0 {
		r.failf("%d bytes after the value", len(r.b))
	}
	return v, r.err
}

// encodeRow encodes one row, with the header.
func encodeRow(row pbRow) []byte {
	var w bytes.Buffer
	binary.Write(&w, binary.LittleEndian, int32(tablestore.HEADER))
	w.WriteByte(tablestore.TAG_ROW_PK)
	for _, c := range row.pk {
		c.encode(&w)
	}
	if len(row.cells) > 0 {
		w.WriteByte(tablestore.TAG_ROW_DATA)
		for _, c := range row.cells {
			c.encode(&w)
		}
	}
	w.WriteByte(tablestore.TAG_ROW_CHECKSUM)
	w.WriteByte(row.checksum())
	return w.Bytes()
}

func (c pbCell) encode(w *bytes.Buffer) {
	w.WriteByte(tablestore.TAG_CELL)
	w.WriteByte(tablestore.TAG_CELL_NAME)
	binary.Write(w, binary.LittleEndian, int32(len(c.name)))
	w.WriteString(c.name)
	if c.value != nil {
		payload := c.value.payload()
		w.WriteByte(tablestore.TAG_CELL_VALUE)
		binary.Write(w, binary.LittleEndian, int32(len(payload)))
		w.Write(payload)
	}
	if c.hasOp {
		w.WriteByte(tablestore.TAG_CELL_TYPE)
		w.WriteByte(c.op)
	}
	if c.hasTS {
		w.WriteByte(tablestore.TAG_CELL_TIMESTAMP)
		binary.Write(w, binary.LittleEndian, c.ts)
	}
	w.WriteByte(tablestore.TAG_CELL_CHECKSUM)
	w.WriteByte(c.checksum())
}

// payload is the value's type and data, as a cell carries it after its
// length.
func (v pbValue) payload() []byte {
	var w bytes.Buffer
	w.WriteByte(v.typ)
	switch v.typ {
	case tablestore.VT_INTEGER, tablestore.VT_DOUBLE:
		binary.Write(&w, binary.LittleEndian, v.i)
	case tablestore.VT_BOOLEAN:
		w.WriteByte(byte(v.i))
	case tablestore.VT_STRING, tablestore.VT_BLOB:
		binary.Write(&w, binary.LittleEndian, int32(len(v.b)))
		w.Write(v.b)
	}
	return w.Bytes()
}

// The checksums: CRC-8 with the polynomial x^8+x^2+x+1, over a cell's
// name, value, timestamp and operation, and over a row's cell checksums
// and its delete marker.

func crc8(crc byte, data ...byte) byte {
	for _, b := range data {
		crc ^= b
		for range 8 {
			if crc&0x80 != 0 {
				crc = crc<<1 ^ 0x07
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

func crc8Int(crc byte, v int64, size int) byte {
	for range size {
		crc = crc8(crc, byte(v))
		v >>= 8
	}
	return crc
}

func (v pbValue) checksum(crc byte) byte {
	crc = crc8(crc, v.typ)
	switch v.typ {
	case tablestore.VT_INTEGER, tablestore.VT_DOUBLE:
		crc = crc8Int(crc, v.i, 8)
	case tablestore.VT_BOOLEAN:
		crc = crc8(crc, byte(v.i))
	case tablestore.VT_STRING, tablestore.VT_BLOB:
		crc = crc8Int(crc, int64(len(v.b)), 4)
		crc = crc8(crc, v.b...)
	}
	return crc
}

func (c pbCell) checksum() byte {
	crc := crc8(0, []byte(c.name)...)
	if c.value != nil {
		crc = c.value.checksum(crc)
	}
	if c.hasTS {
		crc = crc8Int(crc, c.ts, 8)
	}
	if c.hasOp {
		crc = crc8(crc, c.op)
	}
	return crc
}

func (row pbRow) checksum() byte {
	var crc byte
	for _, c := range slices.Concat(row.pk, row.cells) {
		crc = crc8(crc, c.checksum())
	}
	if row.deleted {
		return crc8(crc, 1)
	}
	return crc8(crc, 0)
}
