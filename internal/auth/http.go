package auth

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"renda/internal/records"
)

// CookieName is the session cookie's name.
const CookieName = "renda_session"

// Gate puts the caller of every request in its context: the account of a
// session cookie, the key of an Authorization: Bearer header, the local
// caller of a server that runs open (no account or key exists, loopback
// only), or records.Anonymous. It refuses a bad key (UNAUTHENTICATED),
// cookie-authenticated writes from another origin (CSRF), a request to a
// server that runs open addressed to a name that is not loopback's (DNS
// rebinding, FORBIDDEN), and answers CORS for the origins configured.
type Gate struct {
	svc *Service
	log *slog.Logger
	// Origins are the origins (https://dash.example) allowed to call the
	// API from a browser with an API key; none by default.
	origins []string
	secure  bool // set cookies Secure (behind TLS)
	// hosts are the public host names (lower case, no port) a server that
	// runs open answers besides loopback's.
	hosts    []string
	loopback bool
}

// GateConfig configures a Gate.
type GateConfig struct {
	Service *Service
	Logger  *slog.Logger
	// Loopback says the server listens on a loopback address only: only
	// then may it run open while no credential exists.
	Loopback bool
	// Origins allowed to call from a browser (CORS); none by default.
	Origins []string
	// Secure sets the session cookie's Secure flag (the server is behind
	// TLS).
	Secure bool
	// PublicHosts are names (renda.example, or renda.example:8443) a
	// request to a server that runs open may be addressed to (its Host)
	// besides localhost, 127.0.0.0/8 and [::1]; none by default.
	PublicHosts []string
}

// NewGate returns a Gate.
func NewGate(c GateConfig) *Gate {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	g := &Gate{svc: c.Service, log: c.Logger, origins: c.Origins, secure: c.Secure, loopback: c.Loopback}
	for _, h := range c.PublicHosts {
		if h = hostName(strings.TrimSpace(h)); h != "" {
			g.hosts = append(g.hosts, h)
		}
	}
	return g
}

// Open reports whether the server runs open: loopback, and no account or
// key that can sign in exists. It asks the store each time (a count of
// two small tables), so the first account or key, made through the API or
// by the command line in another process, closes it for the next request.
func (g *Gate) Open(ctx context.Context) bool {
	if !g.loopback {
		return false
	}
	defined, err := g.svc.Defined(ctx)
	return err == nil && !defined // fail closed
}

// errRebound is the answer of a server that runs open to a request not
// addressed to it by a loopback name: the page of another site that had
// its name resolve to 127.0.0.1 (DNS rebinding) may not act as the local
// admin.
var errRebound = records.Errorf(records.EFORBIDDEN, "renda runs open (no account exists yet), so it answers only requests addressed to "+
	"localhost, 127.0.0.1 or [::1], or to a host named with --public-host; create an account (renda users create) to sign in from elsewhere")

// localHost reports whether the Host of a request names this machine's
// loopback or one of the public hosts configured.
func (g *Gate) localHost(host string) bool {
	h := hostName(host)
	if h == "localhost" || slices.Contains(g.hosts, h) {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// hostName is the host of a Host header (or a name given with or without
// a port), lower case, without port or the brackets of an IPv6 address.
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
}

type gateKey struct{}

type refusalKey struct{}

// Refusal is why the credential of the request in ctx was not accepted
// (an ended session), or nil.
func Refusal(ctx context.Context) error {
	err, _ := ctx.Value(refusalKey{}).(error)
	return err
}

// session is what a login or logout resolver needs to set the cookie.
type session struct {
	w      http.ResponseWriter
	token  string // the request's session token, "" if none
	secure bool
}

// Handler wraps next with the gate.
func (g *Gate) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.cors(w, r) {
			return
		}
		ctx := r.Context()
		actor, byCookie, tok, err := g.caller(ctx, r)
		if err == errRebound {
			g.log.WarnContext(ctx, "a request to the open server for another host refused")
			refuse(w, r, http.StatusForbidden, err)
			return
		}
		if err != nil {
			if records.ErrorCode(err) == records.EUNAUTHORIZED && tok != "" {
				clearCookie(w, g.secure)
			}
			if byCookie {
				// Sign in again: the request goes on as anonymous, and says why.
				ctx = context.WithValue(ctx, refusalKey{}, err)
				actor = records.Anonymous
			} else {
				unauthorized(w, r, err)
				return
			}
		}
		if byCookie && !safeMethod(r.Method) && !g.sameOrigin(r) {
			refuse(w, r, http.StatusForbidden, records.Errorf(records.EFORBIDDEN, "a request from another site may not change anything with your session"))
			return
		}
		ctx = records.WithActor(ctx, actor)
		ctx = context.WithValue(ctx, gateKey{}, &session{w: w, token: tok, secure: g.secure})
		ctx = WithClientAddr(ctx, r.RemoteAddr)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// caller resolves the request's credentials.
func (g *Gate) caller(ctx context.Context, r *http.Request) (actor records.Actor, byCookie bool, tok string, err error) {
	if h := r.Header.Get("Authorization"); h != "" {
		key, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return records.Anonymous, false, "", records.Errorf(records.EUNAUTHORIZED, "send an API key as Authorization: Bearer <key>")
		}
		k, err := g.svc.AuthenticateKey(ctx, strings.TrimSpace(key))
		if err != nil {
			return records.Anonymous, false, "", err
		}
		return k.Actor(), false, "", nil
	}
	if c, err := r.Cookie(CookieName); err == nil && c.Value != "" {
		a, err := g.svc.Authenticate(ctx, c.Value)
		if err != nil {
			return records.Anonymous, true, c.Value, err
		}
		return a.Actor(), true, c.Value, nil
	}
	if g.Open(ctx) {
		if !g.localHost(r.Host) {
			return records.Anonymous, false, "", errRebound
		}
		return records.Local, false, "", nil
	}
	return records.Anonymous, false, "", nil
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sameOrigin reports a request whose Origin (or Referer) is the server
// itself — the same scheme, host and port — or an origin allowed for CORS.
// Browsers send Origin with every cross-site POST, so a forged form or
// fetch from elsewhere is told apart; the port counts because cookies do
// not: another site on the same host (http://host:9000) gets the session
// cookie too.
func (g *Gate) sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		if ref := r.Header.Get("Referer"); ref != "" {
			if u, err := url.Parse(ref); err == nil {
				origin = u.Scheme + "://" + u.Host
			}
		}
	}
	if origin == "" {
		// No browser leaves both out on a cross-site write; a script with
		// a cookie it was given is not a forgery.
		return r.Header.Get("Sec-Fetch-Site") == "" || r.Header.Get("Sec-Fetch-Site") == "same-origin"
	}
	if slices.Contains(g.origins, origin) {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	return canonicalOrigin(u.Scheme, u.Host) == canonicalOrigin(requestScheme(r), r.Host)
}

// requestScheme is the scheme the browser used to reach renda: https when
// renda serves TLS, or when the reverse proxy in front of it says so
// (X-Forwarded-Proto). A page of another site cannot set that header on a
// request (it is not one a browser sends cross-site without a CORS
// preflight, which renda refuses), so trusting it opens no forgery.
func requestScheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	if p, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ","); strings.EqualFold(strings.TrimSpace(p), "https") {
		return "https"
	}
	return "http"
}

// canonicalOrigin is scheme://host:port in lower case, with the scheme's
// default port written out.
func canonicalOrigin(scheme, hostport string) string {
	scheme = strings.ToLower(scheme)
	host, port, err := net.SplitHostPort(hostport)
	if err != nil { // no port
		host = strings.Trim(hostport, "[]")
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + strings.ToLower(net.JoinHostPort(host, port))
}

// cors answers CORS for the allowed origins; it reports whether it
// answered (a preflight).
func (g *Gate) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || !slices.Contains(g.origins, origin) {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept")
		h.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

// SetSession sets the session cookie on the response of the request in
// ctx (a login).
func SetSession(ctx context.Context, tok string, ttl time.Duration) {
	s, ok := ctx.Value(gateKey{}).(*session)
	if !ok {
		return
	}
	http.SetCookie(s.w, &http.Cookie{Name: CookieName, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: s.secure, MaxAge: int(ttl.Seconds())})
	s.token = tok
}

// SessionToken is the session token of the request in ctx, "" if none.
func SessionToken(ctx context.Context) string {
	if s, ok := ctx.Value(gateKey{}).(*session); ok {
		return s.token
	}
	return ""
}

// ClearSession removes the session cookie (a logout).
func ClearSession(ctx context.Context) {
	if s, ok := ctx.Value(gateKey{}).(*session); ok {
		clearCookie(s.w, s.secure)
		s.token = ""
	}
}

func clearCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secure, MaxAge: -1})
}

// unauthorized answers a request with a credential that is not valid.
func unauthorized(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="renda"`)
	refuse(w, r, http.StatusUnauthorized, err)
}

// refuse answers with status and err as a GraphQL error (for /graphql) or
// as text.
func refuse(w http.ResponseWriter, r *http.Request, status int, err error) {
	code := map[string]string{records.EUNAUTHORIZED: "UNAUTHENTICATED", records.EFORBIDDEN: "FORBIDDEN"}[records.ErrorCode(err)]
	if code == "" {
		code = "INTERNAL"
	}
	msg := records.ErrorMessage(err)
	if strings.HasPrefix(r.URL.Path, "/graphql") {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"errors":[{"message":` + jsonString(msg) + `,"extensions":{"code":"` + code + `"}}]}`))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg + "\n"))
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// RequireSignIn wraps a handler that is not for anonymous callers (the
// report downloads, exports): they get 401.
func RequireSignIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if records.ActorFrom(r.Context()).IsAnonymous() {
			err := Refusal(r.Context())
			if err == nil {
				err = records.Errorf(records.EUNAUTHORIZED, "sign in, or send an API key")
			}
			unauthorized(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

type clientKey struct{}

// WithClientAddr returns ctx carrying the address of the client of its
// request: the peer of the connection (host:port). renda trusts no header
// for it (X-Forwarded-For can be written by anyone); behind a reverse
// proxy the address is the proxy's.
func WithClientAddr(ctx context.Context, remoteAddr string) context.Context {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	return context.WithValue(ctx, clientKey{}, host)
}

// ClientAddr is the client's address of the request in ctx (no port);
// "local" for a call that came from no request (the command line).
func ClientAddr(ctx context.Context) string {
	if a, ok := ctx.Value(clientKey{}).(string); ok && a != "" {
		return a
	}
	return "local"
}

// IsLoopback reports whether addr (host:port) listens on loopback only.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
