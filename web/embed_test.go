package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"renda/web"
)

func get(h http.Handler, target string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	return w
}

var linkRE = regexp.MustCompile(`(?i)\s(?:src|href)\s*=\s*["']?([^"'\s>]+)`)

func TestHandler(t *testing.T) {
	h := web.Handler()
	t.Run("OK", func(t *testing.T) {
		w := get(h, "/")
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("GET / = %d %s, want the console's page", w.Code, w.Header().Get("Content-Type"))
		}
		if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "connect-src 'self'") || strings.Contains(csp, "http") {
			t.Errorf("CSP %q: want same-origin only", csp)
		}
		body := w.Body.String()
		links := linkRE.FindAllStringSubmatch(body, -1)
		if len(links) < 3 {
			t.Fatalf("the page links %d files, want its scripts and styles:\n%s", len(links), body)
		}
		for _, m := range links {
			u, err := url.Parse(m[1])
			if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(u.Path, "/") {
				t.Errorf("link %q is not a path on this server", m[1])
				continue
			}
			if w := get(h, u.Path); w.Code != 200 || w.Body.Len() == 0 {
				t.Errorf("GET %s = %d with %d bytes, want the file", u.Path, w.Code, w.Body.Len())
			} else if strings.HasPrefix(u.Path, web.AssetPrefix) && !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
				t.Errorf("GET %s: Cache-Control %q, want immutable", u.Path, w.Header().Get("Cache-Control"))
			}
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		for _, p := range []string{"/nope", "/SOURCES.txt", "/assets/nope.js", "/index.html/.."} {
			if w := get(h, p); w.Code != 404 {
				t.Errorf("GET %s = %d, want 404", p, w.Code)
			}
		}
	})
	t.Run("ErrMethod", func(t *testing.T) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/", nil))
		if w.Code != http.StatusMethodNotAllowed {
			t.Errorf("POST / = %d, want 405", w.Code)
		}
	})
}
