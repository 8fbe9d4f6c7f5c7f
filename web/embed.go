// Package web serves the clerks' console: a Vue 3 + Element Plus + ECharts
// single-page app whose built files (dist/) are embedded in the binary, so
// renda serves it at / with no Node and nothing loaded from another origin.
//
// The sources are beside it (src/, index.html, package.json,
// package-lock.json, vite.config.js). After changing them, rebuild and
// commit dist/:
//
//	cd web && npm ci && npm run build
//
// The build writes dist/SOURCES.txt, the SHA-256 of every source file;
// TestBuildMatchesSources fails when the committed build is stale.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

//go:embed dist
var dist embed.FS

// AssetPrefix is where the built assets are served.
const AssetPrefix = "/assets/"

// Dist is the built console (index.html, assets/, SOURCES.txt).
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	return sub
}

type file struct {
	data        []byte
	contentType string
	etag        string
}

var files = sync.OnceValue(func() map[string]*file {
	m := map[string]*file{}
	err := fs.WalkDir(Dist(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(Dist(), p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		m["/"+p] = &file{data: data, contentType: contentType(p), etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
		return nil
	})
	if err != nil {
		panic("web: reading the embedded console: " + err.Error())
	}
	return m
})

func contentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".woff2":
		return "font/woff2"
	case ".woff":
		return "font/woff"
	case ".ttf":
		return "font/ttf"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}

// ContentSecurityPolicy is the console page's policy: everything from its
// own origin. Styles need 'unsafe-inline' (Element Plus and ECharts set
// style attributes); images and fonts may be data: URLs inlined in the CSS;
// the report preview is an iframe of srcdoc with a sandbox, which inherits
// this policy.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-src 'self' about:; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Handler serves the console: GET / (index.html), /assets/… (hashed, cached
// for a year), /favicon.svg. Anything else is 404.
func Handler() http.Handler {
	fm := files()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		p := r.URL.Path
		if p == "/" {
			p = "/index.html"
		}
		f, ok := fm[p]
		if !ok || p == "/SOURCES.txt" {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.contentType)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("ETag", f.etag)
		if strings.HasPrefix(p, AssetPrefix) {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		if p == "/index.html" {
			h.Set("Content-Security-Policy", ContentSecurityPolicy)
			h.Set("Referrer-Policy", "same-origin")
			h.Set("X-Frame-Options", "DENY")
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.data))
	})
}
