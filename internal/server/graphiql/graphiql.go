// Package graphiql serves the GraphiQL IDE with every asset embedded in the
// binary, so it works on networks without internet access: the page loads
// nothing from a CDN or any other host (fonts are data: URLs inside the CSS).
//
// The vendored files live in assets/ and are described in
// assets/VERSIONS.txt (package, version, licence, tarball checksum).
// init.js, page.css and favicon.svg are our own.
//
// # Refreshing the vendored assets
//
// Outside the repository:
//
//	mkdir -p /tmp/giql && cd /tmp/giql
//	npm pack react@18 react-dom@18 graphiql@3
//	for f in *.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
//
// Then copy, renaming with the new version numbers and deleting the old files:
//
//	react-X/package/umd/react.production.min.js         -> assets/react-X.production.min.js
//	react-dom-X/package/umd/react-dom.production.min.js -> assets/react-dom-X.production.min.js
//	graphiql-X/package/graphiql.min.js                  -> assets/graphiql-X.min.js
//	graphiql-X/package/graphiql.min.css                 -> assets/graphiql-X.min.css
//
// update the file names in the scripts/styles lists below, VERSIONS.txt
// (versions, npm view <pkg>@<ver> dist.integrity, sha256sum) and
// THIRD_PARTY_LICENSES.txt, and check that the CSS still has no url(...)
// other than data: URLs (grep -o 'url([^d][^)]*)' graphiql-X.min.css).
// Make sure graphiql.min.js really is minified: some 3.x releases ship an
// unminified 3.5 MB bundle under that name. Then run the tests and look at
// the page in a browser with the DevTools console open (CSP violations show
// up there).
package graphiql

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"
)

// AssetPrefix is the path under which the embedded assets are served,
// relative to where Handler is mounted.
const AssetPrefix = "/graphiql/assets/"

// DefaultQuery is shown in the editor the first time the page is opened
// (GraphiQL afterwards restores the user's last query from localStorage).
const DefaultQuery = `# renda — 棋盘山镇 demo. Try:
{
  deputies(first: 10) {
    totalCount
    nodes { name levels village { name } }
  }
}
`

//go:embed assets/*.js assets/*.css assets/*.svg assets/THIRD_PARTY_LICENSES.txt
var embedded embed.FS

// Load order matters: GraphiQL's UMD bundle expects window.React and
// window.ReactDOM; init.js expects all three.
var (
	styles  = []string{"graphiql-3.9.0.min.css", "page.css"}
	scripts = []string{
		"react-18.3.1.production.min.js",
		"react-dom-18.3.1.production.min.js",
		"graphiql-3.9.0.min.js",
		"init.js",
	}
	favicon = "favicon.svg"
)

type asset struct {
	data        []byte
	contentType string
	etag        string // quoted
	version     string // short content hash, used as ?v= cache buster
}

var loadAssets = sync.OnceValue(func() map[string]*asset {
	m := make(map[string]*asset)
	err := fs.WalkDir(embedded, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := embedded.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:])
		m[path.Base(p)] = &asset{
			data:        data,
			contentType: contentType(p),
			etag:        `"` + h[:32] + `"`,
			version:     h[:12],
		}
		return nil
	})
	if err != nil {
		panic("graphiql: reading embedded assets: " + err.Error())
	}
	return m
})

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}

var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>renda · GraphiQL</title>
<link rel="icon" type="image/svg+xml" href="{{.Favicon}}">
{{range .Styles}}<link rel="stylesheet" href="{{.}}">
{{end}}</head>
<body>
<div id="graphiql" data-endpoint="{{.Endpoint}}" data-default-query="{{.DefaultQuery}}">
<noscript><p class="renda-noscript">GraphiQL 需要启用 JavaScript。</p></noscript>
</div>
{{range .Scripts}}<script src="{{.}}"></script>
{{end}}</body>
</html>
`))

// assetURL returns the page-relative URL of an embedded asset. It is
// relative (no leading slash) so the page keeps working when the handler is
// mounted below a prefix with http.StripPrefix, as long as the page itself
// is requested with a trailing slash.
func assetURL(name string) string {
	a, ok := loadAssets()[name]
	if !ok {
		panic("graphiql: no embedded asset " + name)
	}
	return strings.TrimPrefix(AssetPrefix, "/") + name + "?v=" + a.version
}

// Handler serves GraphiQL at the mount path it is registered on (e.g. "/"),
// with static assets under "<prefix>graphiql/assets/". The IDE sends its
// queries to endpoint, which is used as given (a path such as "/graphql",
// or an absolute URL).
//
// "/" returns the HTML page (Cache-Control: no-cache, with a
// Content-Security-Policy that allows only same-origin scripts, styles,
// fonts and connections); paths under AssetPrefix return the embedded
// assets with a one-year immutable Cache-Control (page URLs carry a content
// hash); anything else is 404. Only GET and HEAD are allowed.
func Handler(endpoint string) http.Handler {
	var buf bytes.Buffer
	data := struct {
		Endpoint, DefaultQuery, Favicon string
		Styles, Scripts                 []string
	}{Endpoint: endpoint, DefaultQuery: DefaultQuery, Favicon: assetURL(favicon)}
	for _, s := range styles {
		data.Styles = append(data.Styles, assetURL(s))
	}
	for _, s := range scripts {
		data.Scripts = append(data.Scripts, assetURL(s))
	}
	if err := page.Execute(&buf, data); err != nil {
		panic("graphiql: rendering page: " + err.Error())
	}
	html := buf.Bytes()
	csp := contentSecurityPolicy(endpoint)
	assets := loadAssets()

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		switch p := r.URL.Path; {
		case p == "/":
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Cache-Control", "no-cache")
			h.Set("Content-Security-Policy", csp)
			h.Set("Referrer-Policy", "no-referrer")
			h.Set("X-Frame-Options", "DENY")
			http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(html))
		case strings.HasPrefix(p, AssetPrefix):
			a, ok := assets[strings.TrimPrefix(p, AssetPrefix)]
			if !ok {
				http.NotFound(w, r)
				return
			}
			h.Set("Content-Type", a.contentType)
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
			h.Set("ETag", a.etag)
			http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.data))
		default:
			http.NotFound(w, r)
		}
	})
}

// contentSecurityPolicy returns the CSP for the HTML page. Everything is
// same-origin; data: is needed for the fonts and icons that graphiql's CSS
// inlines. GraphiQL needs neither 'unsafe-eval' nor inline scripts (checked
// in headless Chromium). Styles do need 'unsafe-inline': opening a dialog
// (e.g. settings) makes the bundled react-remove-scroll inject a <style>
// element, which style-src 'self' alone blocks. If endpoint is an absolute
// URL on another origin, that origin is added to connect-src.
func contentSecurityPolicy(endpoint string) string {
	connect := "'self'"
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" && !strings.ContainsAny(u.Host, " ;,'") {
		switch u.Scheme {
		case "http", "https", "ws", "wss":
			connect += " " + u.Scheme + "://" + u.Host
		case "":
			connect += " " + u.Host
		}
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'",
		"font-src 'self' data:",
		"img-src 'self' data:",
		"connect-src " + connect,
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}
