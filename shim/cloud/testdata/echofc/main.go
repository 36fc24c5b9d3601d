// Command echofc is a Function Compute custom-runtime function for the
// tests of the Function Compute front in fronts_self_test.go. It serves
// HTTP on 127.0.0.1:$FC_CUSTOM_LISTEN_PORT: POST /invoke answers the
// body, unchanged, or a failure (404 and x-fc-status 404, as the custom
// runtime's contract has it) when the body is a JSON object with "fail":
// true; POST /initialize answers 200.
//
// When ECHO_LOG names a file, it appends one JSON line per request: the
// path, the x-fc-request-id and x-fc-function-name headers, the
// Content-Type, ECHO_TAG from its environment, the body, and when the
// request arrived (Unix milliseconds).
package main

import (
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// record is one line of the log.
type record struct {
	Path        string          `json:"path"`
	RequestID   string          `json:"rid"`
	Function    string          `json:"fn"`
	ContentType string          `json:"ctype"`
	Tag         string          `json:"tag"`
	Body        json.RawMessage `json:"body,omitempty"`
	At          int64           `json:"at"`
}

// logMu serializes the appends to the log.
var logMu sync.Mutex

// logRequest appends r's record to ECHO_LOG, if set.
func logRequest(r *http.Request, body []byte) error {
	path := os.Getenv("ECHO_LOG")
	if path == "" {
		return nil
	}
	rec := record{Path: r.URL.Path, RequestID: r.Header.Get("x-fc-request-id"),
		Function: r.Header.Get("x-fc-function-name"), ContentType: r.Header.Get("Content-Type"),
		Tag: os.Getenv("ECHO_TAG"), At: time.Now().UnixMilli()}
	if json.Valid(body) {
		rec.Body = body
	}
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	logMu.Lock()
	defer logMu.Unlock()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(append(line, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func invoke(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := logRequest(r, body); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var in struct {
		Fail bool `json:"fail"`
	}
	if json.Unmarshal(body, &in) == nil && in.Fail {
		w.Header().Set("x-fc-status", "404")
		http.Error(w, `{"errorMessage":"echofc: asked to fail"}`, http.StatusNotFound)
		return
	}
	w.Write(body)
}

func initialize(w http.ResponseWriter, r *http.Request) {
	if err := logRequest(r, nil); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /invoke", invoke)
	mux.HandleFunc("POST /initialize", initialize)
	addr := net.JoinHostPort("127.0.0.1", os.Getenv("FC_CUSTOM_LISTEN_PORT"))
	log.Fatal(http.ListenAndServe(addr, mux))
}
