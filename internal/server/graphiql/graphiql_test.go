package graphiql_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"

	"renda/internal/server/graphiql"
)

func get(t *testing.T, h http.Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, target, nil))
	return w
}

var linkRE = regexp.MustCompile(`(?i)\s(?:src|href)\s*=\s*["']?([^"'\s>]+)`)

func TestHandler_Page(t *testing.T) {
	const endpoint = "/graphql"
	h := graphiql.Handler(endpoint)

	t.Run("OK", func(t *testing.T) {
		w := get(t, h, http.MethodGet, "/")
		if w.Code != http.StatusOK {
			t.Fatalf("GET /: got status %d, want 200", w.Code)
		}
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(ct, "utf-8") {
			t.Errorf("Content-Type: got %q, want text/html; charset=utf-8", ct)
		}
		if cc := w.Header().Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("Cache-Control: got %q, want no-cache", cc)
		}
		body := w.Body.String()
		for _, want := range []string{
			`data-endpoint="` + endpoint + `"`,
			`<title>renda · GraphiQL</title>`,
			`lang="zh-Hans"`,
			`charset="utf-8"`,
			"deputies(first: 10)",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("page does not contain %q", want)
			}
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "<style") {
			t.Errorf("page has an inline script or style; the CSP does not allow inline scripts")
		}
	})

	t.Run("OK/ContentSecurityPolicy", func(t *testing.T) {
		csp := get(t, h, http.MethodGet, "/").Header().Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'", "font-src 'self' data:"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP %q does not contain %q", csp, want)
			}
		}
		for _, bad := range []string{"unsafe-eval", "http:", "https:", "*"} {
			if strings.Contains(csp, bad) {
				t.Errorf("CSP %q contains %q", csp, bad)
			}
		}
	})

	t.Run("OK/AbsoluteEndpoint", func(t *testing.T) {
		w := get(t, graphiql.Handler("https://api.example.test:8443/graphql"), http.MethodGet, "/")
		if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self' https://api.example.test:8443") {
			t.Errorf("CSP %q does not allow the endpoint's origin", csp)
		}
	})

	t.Run("OK/EndpointEscaped", func(t *testing.T) {
		body := get(t, graphiql.Handler(`/q"><script>x</script>`), http.MethodGet, "/").Body.String()
		if strings.Contains(body, "<script>x") {
			t.Errorf("endpoint is not HTML-escaped:\n%s", body)
		}
	})

	t.Run("OK/AllLinksLocalAndServed", func(t *testing.T) {
		body := get(t, h, http.MethodGet, "/").Body.String()
		matches := linkRE.FindAllStringSubmatch(body, -1)
		if len(matches) < 5 { // 2 stylesheets, 4 scripts, 1 icon
			t.Fatalf("found %d src/href links in the page, want at least 5:\n%s", len(matches), body)
		}
		base, _ := url.Parse("http://renda.invalid/")
		var scripts, styles int
		for _, m := range matches {
			ref := html.UnescapeString(m[1])
			if strings.Contains(strings.ToLower(ref), "http") || strings.HasPrefix(ref, "//") || strings.Contains(ref, ":") {
				t.Errorf("link %q is not a local path", ref)
				continue
			}
			u, err := base.Parse(ref)
			if err != nil || u.Host != base.Host {
				t.Errorf("link %q does not resolve to the same host (%v)", ref, err)
				continue
			}
			if !strings.HasPrefix(u.Path, graphiql.AssetPrefix) {
				t.Errorf("link %q resolves to %q, want a path under %q", ref, u.Path, graphiql.AssetPrefix)
			}
			w := get(t, h, http.MethodGet, u.RequestURI())
			if w.Code != http.StatusOK {
				t.Errorf("GET %s: got status %d, want 200", u.RequestURI(), w.Code)
				continue
			}
			if w.Body.Len() == 0 {
				t.Errorf("GET %s: empty body", u.RequestURI())
			}
			ct := w.Header().Get("Content-Type")
			switch path.Ext(u.Path) {
			case ".js":
				scripts++
				if !strings.HasPrefix(ct, "text/javascript") {
					t.Errorf("GET %s: Content-Type %q, want text/javascript", u.RequestURI(), ct)
				}
			case ".css":
				styles++
				if !strings.HasPrefix(ct, "text/css") {
					t.Errorf("GET %s: Content-Type %q, want text/css", u.RequestURI(), ct)
				}
				if css := w.Body.String(); regexp.MustCompile(`url\(\s*['"]?(https?:|//)`).MatchString(css) || strings.Contains(css, "@import") {
					t.Errorf("GET %s: stylesheet loads external resources", u.RequestURI())
				}
			}
			if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
				t.Errorf("GET %s: Cache-Control %q, want immutable", u.RequestURI(), cc)
			}
		}
		if scripts < 4 || styles < 1 {
			t.Errorf("page links %d scripts and %d stylesheets, want react, react-dom, graphiql, init.js and graphiql's CSS", scripts, styles)
		}
	})

	t.Run("OK/Head", func(t *testing.T) {
		if w := get(t, h, http.MethodHead, "/"); w.Code != http.StatusOK || w.Body.Len() != 0 {
			t.Errorf("HEAD /: got status %d with %d body bytes, want 200 and no body", w.Code, w.Body.Len())
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		for _, p := range []string{
			"/nope",
			"/index.html",
			"/graphiql/",
			"/graphiql/assets/",
			"/graphiql/assets/nope.js",
			"/graphiql/assets/VERSIONS.txt",
			"/graphiql/assets/../graphiql.go",
			"/assets/init.js",
		} {
			if w := get(t, h, http.MethodGet, p); w.Code != http.StatusNotFound {
				t.Errorf("GET %s: got status %d, want 404", p, w.Code)
			}
		}
	})

	t.Run("ErrMethodNotAllowed", func(t *testing.T) {
		w := get(t, h, http.MethodPost, "/")
		if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") == "" {
			t.Errorf("POST /: got status %d Allow %q, want 405 with an Allow header", w.Code, w.Header().Get("Allow"))
		}
	})
}

func TestHandler_StripPrefix(t *testing.T) {
	// Links are page-relative, so mounting below a prefix keeps working.
	mux := http.NewServeMux()
	mux.Handle("/ide/", http.StripPrefix("/ide", graphiql.Handler("/graphql")))
	base, _ := url.Parse("http://renda.invalid/ide/")

	t.Run("OK", func(t *testing.T) {
		w := get(t, mux, http.MethodGet, "/ide/")
		if w.Code != http.StatusOK {
			t.Fatalf("GET /ide/: got status %d, want 200", w.Code)
		}
		for _, m := range linkRE.FindAllStringSubmatch(w.Body.String(), -1) {
			u, err := base.Parse(html.UnescapeString(m[1]))
			if err != nil {
				t.Fatal(err)
			}
			if w := get(t, mux, http.MethodGet, u.RequestURI()); w.Code != http.StatusOK {
				t.Errorf("GET %s: got status %d, want 200", u.RequestURI(), w.Code)
			}
		}
	})
}
