// Command floor is the raw-fetch floor of the live benchmark (bench/floor.mjs, bench/run.mjs): the
// time to GET exactly the lists `kubectl ds-inspect coverage -A -o json` reads, page by page
// (limit=500, following metadata.continue), the chains running concurrently (at most `concurrency`
// at a time) over one keep-alive HTTP/1.1 connection pool, bodies read to the end and discarded.
// The wire shape matches src/io/http.ts: node's https (HTTP/1.1, no ALPN h2), Accept:
// application/json, no Accept-Encoding (so no gzip), client certificate and/or bearer token.
//
// Plan on stdin:
//
//	{"server":"https://127.0.0.1:6443","ca":"ca.crt","cert":"client.crt","key":"client.key",
//	 "token":"optional","concurrency":8,
//	 "lists":[{"path":"/api/v1/nodes","query":{"labelSelector":"a=b"}},
//	          {"path":"/api/v1/nodes/n1","single":true}]}
//
// ca/cert/key are file paths; caPEM/certPEM/keyPEM carry the PEM text instead (kubeconfig *-data).
// "single" is a GET the tool made without pagination: fetched once, no limit.
//
// Prints one JSON line: {"requests":N,"bytes":B,"wallSeconds":S,"lists":L,"connections":C,
// "maxInFlight":M,"proto":"HTTP/1.1"}; bytes are response body bytes as received. The wall runs from
// before the first request to after the last body. Any failure (non-2xx, network): one line on
// stderr, exit 1. Standard library only.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const pageLimit = "500" // PAGE_LIMIT of src/io/http.ts

type listSpec struct {
	Path   string            `json:"path"`
	Query  map[string]string `json:"query"`
	Single bool              `json:"single"`
}

type plan struct {
	Server      string     `json:"server"`
	CA          string     `json:"ca"`
	Cert        string     `json:"cert"`
	Key         string     `json:"key"`
	CAPEM       string     `json:"caPEM"`
	CertPEM     string     `json:"certPEM"`
	KeyPEM      string     `json:"keyPEM"`
	ServerName  string     `json:"serverName"`
	Insecure    bool       `json:"insecure"`
	Token       string     `json:"token"`
	Concurrency int        `json:"concurrency"`
	Lists       []listSpec `json:"lists"`
}

type result struct {
	Requests    int64   `json:"requests"`
	Bytes       int64   `json:"bytes"`
	WallSeconds float64 `json:"wallSeconds"`
	Lists       int     `json:"lists"`
	Connections int64   `json:"connections"`
	MaxInFlight int64   `json:"maxInFlight"`
	Proto       string  `json:"proto"`
}

func fail(format string, a ...any) {
	msg := strings.ReplaceAll(fmt.Sprintf(format, a...), "\n", " ")
	fmt.Fprintf(os.Stderr, "floor: %s\n", msg)
	os.Exit(1)
}

func pemOf(path, text, what string) []byte {
	if text != "" {
		return []byte(text)
	}
	if path == "" {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		fail("reading the %s: %v", what, err)
	}
	return b
}

func tlsConfig(p *plan) *tls.Config {
	c := &tls.Config{ServerName: p.ServerName, InsecureSkipVerify: p.Insecure} // #nosec: only when the kubeconfig says so
	if ca := pemOf(p.CA, p.CAPEM, "CA"); ca != nil {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(ca) {
			fail("no certificate in the CA")
		}
		c.RootCAs = pool
	}
	cert, key := pemOf(p.Cert, p.CertPEM, "client certificate"), pemOf(p.Key, p.KeyPEM, "client key")
	if cert != nil || key != nil {
		kp, err := tls.X509KeyPair(cert, key)
		if err != nil {
			fail("client certificate/key: %v", err)
		}
		c.Certificates = []tls.Certificate{kp}
	}
	// HTTP/1.1 only, as node's https: no ALPN h2.
	c.NextProtos = []string{"http/1.1"}
	return c
}

// countingReader counts the body bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

var errNoMetadata = errors.New("no metadata before items")

// continueOf walks the leading tokens of a List ({"kind":..,"apiVersion":..,"metadata":{..},"items":[...)
// and returns metadata.continue, stopping at "items" so the items are never decoded. The API server
// writes metadata before items; a body that does not is reported by errNoMetadata.
func continueOf(dec *json.Decoder) (string, error) {
	t, err := dec.Token()
	if err != nil {
		return "", err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return "", fmt.Errorf("the body is not a JSON object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return "", err
		}
		key, _ := t.(string)
		switch key {
		case "metadata":
			var m struct {
				Continue string `json:"continue"`
			}
			if err := dec.Decode(&m); err != nil {
				return "", err
			}
			return m.Continue, nil
		case "items":
			return "", errNoMetadata
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return "", err
			}
		}
	}
	return "", nil
}

// continueAfterItems goes on after the "items" key: skips its value, then reads the remaining keys for
// metadata.continue.
func continueAfterItems(dec *json.Decoder) (string, error) {
	var skip json.RawMessage
	if err := dec.Decode(&skip); err != nil {
		return "", err
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return "", err
		}
		if k == "metadata" {
			var m struct {
				Continue string `json:"continue"`
			}
			err := dec.Decode(&m)
			return m.Continue, err
		}
		if err := dec.Decode(&skip); err != nil {
			return "", err
		}
	}
	return "", nil
}

type fetcher struct {
	client   *http.Client
	base     *url.URL
	token    string
	requests atomic.Int64
	bytes    atomic.Int64
	conns    atomic.Int64
	inFlight atomic.Int64
	maxIn    atomic.Int64
	protoMu  sync.Mutex
	protos   map[string]bool
}

// get fetches one page; returns metadata.continue when wanted.
func (f *fetcher) get(ctx context.Context, l listSpec, cont string) (string, error) {
	u := *f.base
	u.Path = strings.TrimSuffix(f.base.Path, "/") + l.Path
	q := url.Values{}
	for k, v := range l.Query {
		if v != "" {
			q.Set(k, v)
		}
	}
	if !l.Single {
		q.Set("limit", pageLimit)
		if cont != "" {
			q.Set("continue", cont)
		}
	}
	u.RawQuery = q.Encode()
	trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
		if !i.Reused {
			f.conns.Add(1)
		}
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "ds-inspect-floor")
	if f.token != "" {
		req.Header.Set("Authorization", "Bearer "+f.token)
	}
	n := f.inFlight.Add(1)
	for m := f.maxIn.Load(); n > m && !f.maxIn.CompareAndSwap(m, n); m = f.maxIn.Load() {
	}
	defer f.inFlight.Add(-1)
	res, err := f.client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	f.requests.Add(1)
	f.protoMu.Lock()
	f.protos[res.Proto] = true
	f.protoMu.Unlock()
	body := &countingReader{r: res.Body}
	defer func() { f.bytes.Add(body.n) }()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(body, 300))
		return "", fmt.Errorf("GET %s: %s: %s", u.RequestURI(), res.Status, strings.TrimSpace(string(b)))
	}
	next := ""
	if !l.Single {
		dec := json.NewDecoder(body)
		next, err = continueOf(dec)
		if errors.Is(err, errNoMetadata) {
			// Not the API server's order: skip the items, then look for metadata among the later keys.
			next, err = continueAfterItems(dec)
		}
		if err != nil {
			return "", fmt.Errorf("GET %s: reading the list: %v", u.RequestURI(), err)
		}
	}
	if _, err := io.Copy(io.Discard, body); err != nil {
		return "", fmt.Errorf("GET %s: reading the body: %v", u.RequestURI(), err)
	}
	return next, nil
}

// chain fetches one list to its end.
func (f *fetcher) chain(ctx context.Context, l listSpec) error {
	seen := map[string]bool{}
	cont := ""
	for pages := 0; ; pages++ {
		if pages >= 10000 {
			return fmt.Errorf("listing %s did not end after 10000 pages", l.Path)
		}
		next, err := f.get(ctx, l, cont)
		if err != nil {
			return err
		}
		if next == "" || l.Single {
			return nil
		}
		if seen[next] {
			return fmt.Errorf("the same continue token twice while listing %s", l.Path)
		}
		seen[next] = true
		cont = next
	}
}

func main() {
	var p plan
	dec := json.NewDecoder(os.Stdin)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		fail("reading the plan from stdin: %v", err)
	}
	base, err := url.Parse(p.Server)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		fail("the plan's server %q is not an http(s) URL", p.Server)
	}
	base.User = nil
	if p.Concurrency < 1 {
		p.Concurrency = 8
	}
	tr := &http.Transport{
		Proxy:               nil, // direct, as the bench's local cluster
		DialContext:         (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     tlsConfig(&p),
		TLSHandshakeTimeout: 30 * time.Second,
		ForceAttemptHTTP2:   false,
		// A non-nil empty map turns HTTP/2 off.
		TLSNextProto:        map[string]func(string, *tls.Conn) http.RoundTripper{},
		DisableCompression:  true, // the tool sends no Accept-Encoding
		MaxIdleConns:        2 * p.Concurrency,
		MaxIdleConnsPerHost: p.Concurrency,
		MaxConnsPerHost:     p.Concurrency,
		IdleConnTimeout:     90 * time.Second,
	}
	f := &fetcher{client: &http.Client{Transport: tr, Timeout: 10 * time.Minute}, base: base, token: p.Token, protos: map[string]bool{}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	work := make(chan listSpec)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	start := time.Now()
	for range min(p.Concurrency, max(len(p.Lists), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for l := range work {
				if err := f.chain(ctx, l); err != nil {
					once.Do(func() { firstErr = err; cancel() })
				}
			}
		}()
	}
	for _, l := range p.Lists {
		if ctx.Err() != nil {
			break
		}
		work <- l
	}
	close(work)
	wg.Wait()
	wall := time.Since(start).Seconds()
	if firstErr != nil {
		fail("%v", firstErr)
	}
	protos := make([]string, 0, len(f.protos))
	for k := range f.protos {
		protos = append(protos, k)
	}
	out, _ := json.Marshal(result{
		Requests: f.requests.Load(), Bytes: f.bytes.Load(), WallSeconds: wall, Lists: len(p.Lists),
		Connections: f.conns.Load(), MaxInFlight: f.maxIn.Load(), Proto: strings.Join(protos, ","),
	})
	fmt.Println(string(out))
}
