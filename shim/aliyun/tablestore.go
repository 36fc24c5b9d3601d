package aliyun

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	mathrand "math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aliyun/aliyun-tablestore-go-sdk/v5/tablestore"

	"github.com/jointlambda/jlgen/internal/pause"
	jlrt "github.com/jointlambda/jlgen/runtime"
)

// The layout of a TableStore's table. Values and join records live in
// separate key spaces, so the same protocol key may name both.
const (
	// otsKey is the table's one primary key column, a string: "v:" and the
	// protocol key for a value, "j:" and the protocol key for a join record.
	otsKey = "k"
	// otsValue holds a value, as binary.
	otsValue = "v"
	// otsWriter holds a random token of the PutIfAbsent call that wrote the
	// value, a string, so that the call knows its own write when the SDK
	// sent it twice because the first reply was lost.
	otsWriter = "w"
	// otsExpiry holds the expiry in epoch milliseconds, an integer. A row
	// without one never expires.
	otsExpiry = "t"
	// otsCount holds how many indexes a join record holds, an integer that
	// JoinAdd increments atomically.
	otsCount = "n"
	// otsBranchPrefix followed by an index in decimal names the binary
	// column that holds the value the first JoinAdd of that index brought.
	otsBranchPrefix = "b"

	otsValuePrefix = "v:"
	otsJoinPrefix  = "j:"
)

// The error codes of TableStore that the store acts on.
const (
	otsConditionFailed = "OTSConditionCheckFail"
	otsTableExists     = "OTSObjectAlreadyExist"
)

// otsAttempts bounds how often an operation starts over when a row
// expires or is replaced between two of its requests.
const otsAttempts = 4

// otsBatchRows is how many rows one BatchGetRow may read, the service's
// limit.
const otsBatchRows = 100

// otsBatchAttempts bounds how often GetMany asks for a row that a
// BatchGetRow failed to read for a reason that may pass, such as load.
// Between two attempts it pauses otsBatchPause, doubled each time, and a
// random part of otsBatchPause more, as the SDK does between the tries of
// a whole request.
const (
	otsBatchAttempts = 4
	otsBatchPause    = 10 * time.Millisecond
)

// otsReadyTimeout bounds how long CreateTable waits for a new table to
// serve reads.
const otsReadyTimeout = 2 * time.Minute

// TableStore is the protocol's store on one table of Alibaba Cloud
// TableStore (Tablestore, once OTS), whose primary key is the one string
// column "k" (CreateTable makes one). It keeps no state of its own, so one
// TableStore serves any number of goroutines.
//
// A value is the row "v:KEY" with the binary column "v" and the string
// column "w", a random token of the call that wrote it; a join record is
// the row "j:KEY" with the integer column "n", how many indexes it holds,
// and one binary column "bN" per index N. Both carry "t", the expiry in
// epoch milliseconds, rounded up; a ttl of zero or less means none.
// TableStore's own time to live is table-wide, lazy, and expires each
// cell by the time it was written rather than a row by its expiry, so the
// store does not rely on it: every read compares "t" with the clock and
// treats an expired row as absent, and writes replace it.
//
// Round trips, each request billed 1 capacity unit per 4 KB it reads or
// writes, rounded up (a conditional write also pays for reading the row
// it checks). Every read is strongly consistent, as all of TableStore's
// single-row reads are:
//
//   - Get: one GetRow.
//   - GetMany: one BatchGetRow per 100 distinct keys, which bills each row
//     as the GetRow of it would be. The service answers a batch row by
//     row, and may fail some rows for load; those are asked for again, in
//     a BatchGetRow of their own after a short pause, up to 4 times in
//     all.
//   - PutIfAbsent: one PutRow that expects no row. A loser's PutRow fails
//     its condition and a GetRow reads the winner: two round trips. Over an
//     expired value, a third, a PutRow conditional on the expiry that the
//     GetRow saw, replaces it, so that of several writers one wins.
//   - JoinAdd: one UpdateRow, atomic, that sets "bN", increments "n" and
//     renews "t" on the condition that "bN" is missing and the record has
//     not expired, and returns "n" as it is after the increment. A
//     duplicate of an index fails the condition and a GetRow reads the
//     count: two round trips. An expired record is started afresh by a
//     third, a PutRow conditional on the expiry that the GetRow saw.
//   - JoinGet: one GetRow of the whole record.
//
// The SDK resends a request whose connection broke, and one refused for
// load; the conditions make a resent write harmless: it fails its
// condition, and the store reads what the first one wrote.
//
// The SDK takes no context. Each request runs in a goroutine of its own,
// and an operation returns ctx's error as soon as ctx is done, while the
// request runs on until the client's own timeout (RequestTimeout in its
// TableStoreConfig, 30 s by default): its outcome is unknown then, as
// after any network failure.
//
// Errors wrap the SDK's: *tablestore.OtsError for an answer of the
// service, which carries its HTTP status and code. TableStore refuses a
// key over 1 KB (less the 2-byte prefix), a value over 2 MB and a request
// over 4 MB; larger payloads belong in Blobs, which the runtime uses for
// anything over the inline limit. It advises against rows of more than
// some 10,000 columns, which JoinGet reads whole: a join record of more
// indexes than that may time out.
type TableStore struct {
	client *tablestore.TableStoreClient
	table  string
	// now is the clock that expiry is measured against.
	now func() time.Time
}

var _ jlrt.Store = (*TableStore)(nil)

// NewTableStore returns a store that keeps its records in table through
// client. Give each workflow deployment its own table.
func NewTableStore(client *tablestore.TableStoreClient, table string) *TableStore {
	return &TableStore{client: client, table: table, now: time.Now}
}

// CreateTable creates table as a TableStore needs it (the primary key "k",
// a string; one version per column; no time to live of TableStore's own)
// and waits until it serves reads, for at most two minutes. A table of
// that name that exists already is fine when its primary key is the same;
// CreateTable fails when it is not.
//
// TableStore's own time to live (UpdateTable) removes each cell once that
// long has passed since it was written, whatever the row's expiry. Set it,
// to reclaim the space of expired records, only to more than twice the
// longest ttl the store is given: a join record's cells are written over
// the life of its fan-out, and one that went early would leave the record
// short of an index.
func CreateTable(ctx context.Context, client *tablestore.TableStoreClient, table string) error {
	req := &tablestore.CreateTableRequest{
		TableMeta:          &tablestore.TableMeta{TableName: table},
		TableOption:        &tablestore.TableOption{TimeToAlive: -1, MaxVersion: 1},
		ReservedThroughput: &tablestore.ReservedThroughput{},
	}
	req.TableMeta.AddPrimaryKeyColumn(otsKey, tablestore.PrimaryKeyType_STRING)
	_, err := otsCall(ctx, func() (*tablestore.CreateTableResponse, error) {
		return client.CreateTable(req)
	})
	if otsCode(err, otsTableExists) {
		err = otsCheckTable(ctx, client, table)
	}
	if err != nil {
		return fmt.Errorf("create tablestore table %s: %w", table, err)
	}
	return otsWaitReady(ctx, client, table)
}

// otsCheckTable checks that the existing table has the primary key a
// TableStore needs.
func otsCheckTable(ctx context.Context, client *tablestore.TableStoreClient,
	table string) error {
	out, err := otsCall(ctx, func() (*tablestore.DescribeTableResponse, error) {
		return client.DescribeTable(&tablestore.DescribeTableRequest{TableName: table})
	})
	if err != nil {
		return fmt.Errorf("describe the existing table: %w", err)
	}
	var pk []*tablestore.PrimaryKeySchema
	if out.TableMeta != nil {
		pk = out.TableMeta.SchemaEntry
	}
	if len(pk) != 1 || pk[0].Name == nil || *pk[0].Name != otsKey || pk[0].Type == nil ||
		*pk[0].Type != tablestore.PrimaryKeyType_STRING {
		return fmt.Errorf("the table exists with another primary key than the one string "+
			"column %q", otsKey)
	}
	return nil
}

// otsWaitReady waits until table serves reads: TableStore loads a new
// table for some seconds, and refuses to read or write it meanwhile.
func otsWaitReady(ctx context.Context, client *tablestore.TableStoreClient,
	table string) error {
	ctx, cancel := context.WithTimeout(ctx, otsReadyTimeout)
	defer cancel()
	s := NewTableStore(client, table)
	for {
		_, err := s.getRow(ctx, otsValuePrefix, otsValue)
		if err == nil {
			return nil
		}
		if !otsCode(err, tablestore.TABLE_NOT_READY) &&
			!otsCode(err, tablestore.PARTITION_UNAVAILABLE) {
			return fmt.Errorf("wait for tablestore table %s: %w", table, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for tablestore table %s: %w", table, err)
		case <-time.After(time.Second):
		}
	}
}

// Get returns the value of key, and whether there is one that has not
// expired: one GetRow.
func (s *TableStore) Get(ctx context.Context, key string) ([]byte, bool, error) {
	row, err := s.getRow(ctx, otsValuePrefix+key, otsValue, otsExpiry)
	if err != nil {
		return nil, false, fmt.Errorf("tablestore get %q: %w", key, err)
	}
	if row == nil || row.expired(s.now()) {
		return nil, false, nil
	}
	v, err := row.binary(otsValue)
	if err != nil {
		return nil, false, fmt.Errorf("tablestore get %q: %w", key, err)
	}
	return v, true, nil
}

// GetMany returns the values of those of keys that have one that has not
// expired, each under its key: one BatchGetRow per 100 distinct keys, in
// sorted order, one after another, and more for rows that a BatchGetRow
// failed to read. No keys read nothing.
func (s *TableStore) GetMany(ctx context.Context, keys []string) (map[string][]byte, error) {
	got := make(map[string][]byte, len(keys))
	// The service refuses a BatchGetRow that names a row twice.
	distinct := slices.Compact(slices.Sorted(slices.Values(keys)))
	for chunk := range slices.Chunk(distinct, otsBatchRows) {
		if err := s.getBatch(ctx, chunk, got); err != nil {
			return nil, fmt.Errorf("tablestore get-many: %w", err)
		}
	}
	return got, nil
}

// getBatch reads the values of keys, distinct and at most otsBatchRows of
// them, into got, and asks again for the rows that failed for a reason
// that may pass, up to otsBatchAttempts times in all.
func (s *TableStore) getBatch(ctx context.Context, keys []string,
	got map[string][]byte) error {
	for attempt := 1; ; attempt++ {
		failed, err := s.batchGetRow(ctx, keys, got)
		if len(failed) == 0 {
			return err
		}
		if attempt == otsBatchAttempts {
			return fmt.Errorf("%d rows still failed after %d attempts, the first: %w",
				len(failed), attempt, err)
		}
		if err := otsPause(ctx, attempt); err != nil {
			return err
		}
		keys = failed
	}
}

// batchGetRow reads the values of keys, distinct and at most otsBatchRows
// of them, into got with one BatchGetRow. It returns the keys whose rows
// failed for a reason that may pass, with the error of the first; a row
// that failed for another reason is an error of its own, and none is
// returned.
func (s *TableStore) batchGetRow(ctx context.Context, keys []string,
	got map[string][]byte) ([]string, error) {
	q := &tablestore.MultiRowQueryCriteria{TableName: s.table,
		ColumnsToGet: []string{otsValue, otsExpiry}, MaxVersion: 1}
	for _, key := range keys {
		q.AddRow(otsPrimaryKey(otsValuePrefix + key))
	}
	req := &tablestore.BatchGetRowRequest{
		MultiRowQueryCriteria: []*tablestore.MultiRowQueryCriteria{q}}
	out, err := otsCall(ctx, func() (*tablestore.BatchGetRowResponse, error) {
		return s.client.BatchGetRow(req)
	})
	if err != nil {
		return nil, err
	}
	// The service answers the rows in the order they were asked for.
	rows := out.TableToRowsResult[s.table]
	if len(rows) != len(keys) {
		return nil, fmt.Errorf("a BatchGetRow of %d rows answered %d", len(keys), len(rows))
	}
	var failed []string
	var first error
	now := s.now()
	for i, r := range rows {
		key := keys[i]
		if !r.IsSucceed {
			err := otsRowError(key, r.Error, out.RequestId)
			if !otsRowRetryable(r.Error.Code) {
				return nil, err
			}
			failed = append(failed, key)
			first = cmp.Or(first, err)
			continue
		}
		row := otsRowOf(r.Columns)
		if len(row) == 0 || row.expired(now) {
			continue
		}
		if got[key], err = row.binary(otsValue); err != nil {
			return nil, fmt.Errorf("read %q: %w", key, err)
		}
	}
	return failed, first
}

// otsRowError is the error of the row of key that a BatchGetRow, whose
// request id is id, failed to read: an *tablestore.OtsError with the row's
// code and message. For a code that may pass it carries the HTTP status
// that the service answers a whole request with, so that Classify sorts
// the row as it would a GetRow of it.
func otsRowError(key string, e tablestore.Error, id string) error {
	oe := &tablestore.OtsError{Code: e.Code, Message: e.Message, RequestId: id,
		HttpStatusCode: otsRowStatus(e.Code)}
	return fmt.Errorf("read %q: %w", key, oe)
}

// otsRowRetryable reports whether a row that failed with code may be read
// by another attempt, as the SDK decides for a whole read.
func otsRowRetryable(code string) bool { return otsRowStatus(code) != 0 }

// otsRowStatus is the HTTP status that the service answers a request with
// when it fails with code, one that may pass; 0 for other codes.
func otsRowStatus(code string) int {
	switch code {
	case tablestore.SERVER_BUSY, tablestore.STORAGE_SERVER_BUSY,
		tablestore.PARTITION_UNAVAILABLE, tablestore.STORAGE_TIMEOUT,
		tablestore.SERVER_UNAVAILABLE:
		return http.StatusServiceUnavailable
	case tablestore.INTERNAL_SERVER_ERROR:
		return http.StatusInternalServerError
	case tablestore.ROW_OPERATION_CONFLICT:
		return http.StatusConflict
	case tablestore.NOT_ENOUGH_CAPACITY_UNIT:
		return http.StatusForbidden
	case tablestore.TABLE_NOT_READY:
		return http.StatusNotFound
	}
	return 0
}

// otsPause waits before the attempt after attempt, or returns ctx's error
// as soon as ctx is done.
func otsPause(ctx context.Context, attempt int) error {
	return pause.For(ctx, otsBatchPause<<(attempt-1)+mathrand.N(otsBatchPause))
}

// PutIfAbsent stores value under key for ttl unless key has a value that
// has not expired, and returns the value now stored and whether it is the
// one given: one PutRow when it wins, and a GetRow more when it loses.
func (s *TableStore) PutIfAbsent(ctx context.Context, key string, value []byte,
	ttl time.Duration) ([]byte, bool, error) {
	token := rand.Text()
	for range otsAttempts {
		cur, ours, err := s.putIfAbsent(ctx, key, value, ttl, token)
		if err != nil {
			return nil, false, fmt.Errorf("tablestore put-if-absent %q: %w", key, err)
		}
		if cur != nil {
			return cur, ours, nil
		}
	}
	return nil, false, fmt.Errorf("tablestore put-if-absent %q: the value expired or was "+
		"replaced between %d writes and reads", key, otsAttempts)
}

// putIfAbsent makes one attempt of PutIfAbsent, whose writes carry token.
// It returns a nil value when the row it lost to expired or was replaced
// since, and the write should be tried again.
func (s *TableStore) putIfAbsent(ctx context.Context, key string, value []byte,
	ttl time.Duration, token string) ([]byte, bool, error) {
	k := otsValuePrefix + key
	columns := []tablestore.AttributeColumn{
		{ColumnName: otsValue, Value: orEmpty(value)},
		{ColumnName: otsWriter, Value: token},
	}
	if ttl > 0 {
		columns = append(columns, tablestore.AttributeColumn{ColumnName: otsExpiry,
			Value: otsExpiryOf(s.now(), ttl)})
	}
	err := s.putRow(ctx, k, columns, nil)
	if err == nil {
		return orEmpty(value), true, nil
	}
	if !otsCode(err, otsConditionFailed) {
		return nil, false, err
	}
	row, err := s.getRow(ctx, k, otsValue, otsWriter, otsExpiry)
	switch {
	case err != nil || row == nil:
		return nil, false, err
	case row[otsWriter] == token:
		v, err := row.binary(otsValue)
		return v, true, err
	case !row.expired(s.now()):
		v, err := row.binary(otsValue)
		return v, false, err
	}
	expiry := row[otsExpiry].(int64) // an expired row has one
	err = s.putRow(ctx, k, columns, &expiry)
	if err == nil {
		return orEmpty(value), true, nil
	}
	if otsCode(err, otsConditionFailed) {
		return nil, false, nil
	}
	return nil, false, fmt.Errorf("replace the expired value: %w", err)
}

// JoinAdd sets index of the join record key to value unless the index is
// in already, renews the record's ttl, and returns how many distinct
// indexes the record holds: one UpdateRow, atomic, for a new index; a
// GetRow more for a duplicate. A record that has expired is started
// afresh. Index must not be negative: TableStore's column names cannot
// hold the sign.
func (s *TableStore) JoinAdd(ctx context.Context, key string, index int, value []byte,
	ttl time.Duration) (int, error) {
	if index < 0 {
		return 0, fmt.Errorf("tablestore join-add %q: index %d is negative", key, index)
	}
	for range otsAttempts {
		n, err := s.joinAdd(ctx, key, index, value, ttl)
		if err != nil {
			return 0, fmt.Errorf("tablestore join-add %q index %d: %w", key, index, err)
		}
		if n > 0 {
			return n, nil
		}
	}
	return 0, fmt.Errorf("tablestore join-add %q index %d: the record expired or was "+
		"replaced %d times", key, index, otsAttempts)
}

// joinAdd makes one attempt of JoinAdd. It returns 0 when the record
// expired and another caller started it afresh first, and the update
// should be tried again.
func (s *TableStore) joinAdd(ctx context.Context, key string, index int, value []byte,
	ttl time.Duration) (int, error) {
	now := s.now()
	branch := otsBranch(index)
	change := &tablestore.UpdateRowChange{
		TableName:  s.table,
		PrimaryKey: otsPrimaryKey(otsJoinPrefix + key),
		Condition: &tablestore.RowCondition{
			RowExistenceExpectation: tablestore.RowExistenceExpectation_IGNORE,
			ColumnCondition:         otsAnd(otsMissing(branch), otsLive(now)),
		},
		ReturnType:          tablestore.ReturnType_RT_AFTER_MODIFY,
		ColumnNamesToReturn: []string{otsCount},
	}
	change.PutColumn(branch, orEmpty(value))
	change.IncrementColumn(otsCount, 1)
	if ttl > 0 {
		change.PutColumn(otsExpiry, otsExpiryOf(now, ttl))
	}
	out, err := otsCall(ctx, func() (*tablestore.UpdateRowResponse, error) {
		return s.client.UpdateRow(&tablestore.UpdateRowRequest{UpdateRowChange: change})
	})
	if otsCode(err, otsConditionFailed) {
		return s.joinCount(ctx, key, index, value, ttl)
	}
	if err != nil {
		return 0, err
	}
	return otsRowOf(out.Columns).count()
}

// joinCount reads the join record key after an update of index failed its
// condition, and returns its count when index is in. It starts an expired
// record afresh with index alone, and returns 1. It returns 0 when the
// record changed in between, and the update should be tried again.
func (s *TableStore) joinCount(ctx context.Context, key string, index int, value []byte,
	ttl time.Duration) (int, error) {
	branch := otsBranch(index)
	row, err := s.getRow(ctx, otsJoinPrefix+key, otsCount, otsExpiry, branch)
	switch {
	case err != nil || row == nil:
		return 0, err
	case row.expired(s.now()):
		return s.restartJoin(ctx, key, index, value, ttl, row[otsExpiry].(int64))
	}
	if _, ok := row[branch]; !ok {
		return 0, nil
	}
	return row.count()
}

// restartJoin replaces the expired join record key, whose expiry is
// expiry, with one that holds index alone, and returns 1; or 0 when the
// record was replaced in between.
func (s *TableStore) restartJoin(ctx context.Context, key string, index int, value []byte,
	ttl time.Duration, expiry int64) (int, error) {
	columns := []tablestore.AttributeColumn{
		{ColumnName: otsCount, Value: int64(1)},
		{ColumnName: otsBranch(index), Value: orEmpty(value)},
	}
	if ttl > 0 {
		columns = append(columns, tablestore.AttributeColumn{ColumnName: otsExpiry,
			Value: otsExpiryOf(s.now(), ttl)})
	}
	err := s.putRow(ctx, otsJoinPrefix+key, columns, &expiry)
	if otsCode(err, otsConditionFailed) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("restart the expired record: %w", err)
	}
	return 1, nil
}

// JoinGet returns the values of the join record key by index: one GetRow.
// A record that does not exist or has expired is empty.
func (s *TableStore) JoinGet(ctx context.Context, key string) (map[int][]byte, error) {
	row, err := s.getRow(ctx, otsJoinPrefix+key)
	if err != nil {
		return nil, fmt.Errorf("tablestore join-get %q: %w", key, err)
	}
	if row == nil || row.expired(s.now()) {
		return map[int][]byte{}, nil
	}
	rec, err := row.branches()
	if err != nil {
		return nil, fmt.Errorf("tablestore join-get %q: %w", key, err)
	}
	return rec, nil
}

// getRow reads columns of the row whose primary key is k, or all of them
// when none are named. It returns nil when the row does not exist or has
// none of the columns.
func (s *TableStore) getRow(ctx context.Context, k string, columns ...string) (otsRow,
	error) {
	q := &tablestore.SingleRowQueryCriteria{TableName: s.table, PrimaryKey: otsPrimaryKey(k),
		ColumnsToGet: columns, MaxVersion: 1}
	out, err := otsCall(ctx, func() (*tablestore.GetRowResponse, error) {
		return s.client.GetRow(&tablestore.GetRowRequest{SingleRowQueryCriteria: q})
	})
	if err != nil || len(out.Columns) == 0 {
		return nil, err
	}
	return otsRowOf(out.Columns), nil
}

// putRow writes the row k with columns in place of none, when over is
// nil, or of the row whose expiry is *over. It fails with the code
// OTSConditionCheckFail when the row is not the one expected.
func (s *TableStore) putRow(ctx context.Context, k string, columns []tablestore.AttributeColumn,
	over *int64) error {
	change := &tablestore.PutRowChange{TableName: s.table, PrimaryKey: otsPrimaryKey(k),
		Columns: columns}
	if over == nil {
		change.SetCondition(tablestore.RowExistenceExpectation_EXPECT_NOT_EXIST)
	} else {
		change.SetCondition(tablestore.RowExistenceExpectation_EXPECT_EXIST)
		change.SetColumnCondition(otsEqual(otsExpiry, *over))
	}
	_, err := otsCall(ctx, func() (*tablestore.PutRowResponse, error) {
		return s.client.PutRow(&tablestore.PutRowRequest{PutRowChange: change})
	})
	return err
}

// otsRow is the columns of a row as the SDK returns them, by name: int64,
// string or []byte values.
type otsRow map[string]any

func otsRowOf(columns []*tablestore.AttributeColumn) otsRow {
	row := make(otsRow, len(columns))
	for _, c := range columns {
		row[c.ColumnName] = c.Value
	}
	return row
}

// expired reports whether the row carries an expiry at or before now.
func (r otsRow) expired(now time.Time) bool {
	t, ok := r[otsExpiry].(int64)
	return ok && t <= now.UnixMilli()
}

// binary returns the binary column name.
func (r otsRow) binary(name string) ([]byte, error) {
	v, ok := r[name].([]byte)
	if !ok {
		return nil, fmt.Errorf("the row has no binary column %q", name)
	}
	return orEmpty(v), nil
}

// count returns how many indexes a join record holds.
func (r otsRow) count() (int, error) {
	n, ok := r[otsCount].(int64)
	if !ok || n < 1 {
		return 0, fmt.Errorf("the join record holds no count of its indexes: %v", r[otsCount])
	}
	return int(n), nil
}

// branches returns the values of a join record by index, and checks that
// they are as many as its count says.
func (r otsRow) branches() (map[int][]byte, error) {
	rec := make(map[int][]byte, len(r))
	for name := range r {
		digits, ok := strings.CutPrefix(name, otsBranchPrefix)
		if !ok {
			continue
		}
		index, err := strconv.Atoi(digits)
		if err != nil || index < 0 {
			return nil, fmt.Errorf("column %q names no index", name)
		}
		if rec[index], err = r.binary(name); err != nil {
			return nil, err
		}
	}
	n, err := r.count()
	if err != nil {
		return nil, err
	}
	if n != len(rec) {
		return nil, fmt.Errorf("the join record counts %d indexes but holds %d", n, len(rec))
	}
	return rec, nil
}

// otsBranch is the column of index in a join record.
func otsBranch(index int) string { return otsBranchPrefix + strconv.Itoa(index) }

// otsPrimaryKey is the primary key of the row k.
func otsPrimaryKey(k string) *tablestore.PrimaryKey {
	pk := new(tablestore.PrimaryKey)
	pk.AddPrimaryKeyColumn(otsKey, k)
	return pk
}

// otsMissing is the condition that column is missing. No binary sorts
// before the empty one, so the comparison fails for any value the column
// holds, and the condition passes only where it holds none.
func otsMissing(column string) tablestore.ColumnFilter {
	return &tablestore.SingleColumnCondition{ColumnName: &column,
		Comparator: new(tablestore.CT_LESS_THAN), ColumnValue: []byte{},
		FilterIfMissing: false, LatestVersionOnly: true}
}

// otsLive is the condition that a row has not expired at now: its expiry
// is later, or it has none.
func otsLive(now time.Time) tablestore.ColumnFilter {
	return &tablestore.SingleColumnCondition{ColumnName: new(otsExpiry),
		Comparator: new(tablestore.CT_GREATER_THAN), ColumnValue: now.UnixMilli(),
		FilterIfMissing: false, LatestVersionOnly: true}
}

// otsEqual is the condition that the integer column holds v.
func otsEqual(column string, v int64) tablestore.ColumnFilter {
	return &tablestore.SingleColumnCondition{ColumnName: &column,
		Comparator: new(tablestore.CT_EQUAL), ColumnValue: v,
		FilterIfMissing: true, LatestVersionOnly: true}
}

// otsAnd is the condition that all of filters hold.
func otsAnd(filters ...tablestore.ColumnFilter) tablestore.ColumnFilter {
	return &tablestore.CompositeColumnValueFilter{Operator: tablestore.LO_AND, Filters: filters}
}

// otsExpiryOf is the expiry of a row written at now for ttl, in epoch
// milliseconds rounded up, so that a short ttl does not end before it
// began.
func otsExpiryOf(now time.Time, ttl time.Duration) int64 {
	end := now.Add(ttl)
	ms := end.UnixMilli()
	if end.After(time.UnixMilli(ms)) {
		ms++
	}
	return ms
}

// otsCode reports whether err is an answer of TableStore with code.
func otsCode(err error, code string) bool {
	var e *tablestore.OtsError
	return errors.As(err, &e) && e.Code == code
}

// otsCall runs req, a request of the TableStore SDK, which takes no
// context, and returns its result, or ctx's error as soon as ctx is done;
// the request then runs on in the background until the client's timeout.
// A panic of the SDK (it dereferences the fields of a reply unchecked)
// becomes an error.
func otsCall[T any](ctx context.Context, req func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	type result struct {
		out T
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r = result{err: fmt.Errorf("the tablestore sdk failed: %v", p)}
			}
			done <- r
		}()
		r.out, r.err = req()
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// orEmpty returns b, or an empty slice for nil: a value may be empty, and
// the store tells an absent value by a nil one.
func orEmpty(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
