// The console speaks only renda's public API: POST /graphql (JSON) and
// GET /reports/{id}, same origin, with the session cookie.
import { reactive } from 'vue'
import { translate } from './errors.js'

export class ApiError extends Error {
  constructor(err) {
    const ext = err.extensions || {}
    super(translate(err.message || '', ext.code, ext.field))
    this.raw = err.message || ''
    this.code = ext.code || 'INTERNAL'
    this.field = ext.field || ''
    this.path = err.path
  }
}

// Who is signed in; null until known. `open` when the server runs without accounts.
export const session = reactive({ me: null, known: false, township: '' })

let onUnauthenticated = () => {}
export function setUnauthenticatedHandler(f) {
  onUnauthenticated = f
}

export async function gql(query, variables = {}) {
  let res
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    })
  } catch (e) {
    throw new ApiError({ message: '无法连接服务器，请检查网络后重试。', extensions: { code: 'NETWORK' } })
  }
  let body
  try {
    body = await res.json()
  } catch (e) {
    throw new ApiError({ message: `服务器返回了无法识别的应答（HTTP ${res.status}）。`, extensions: { code: 'INTERNAL' } })
  }
  if (body.errors && body.errors.length) {
    const err = new ApiError(body.errors[0])
    err.all = body.errors.map((e) => new ApiError(e))
    if (err.code === 'UNAUTHENTICATED') {
      session.me = null
      onUnauthenticated()
    }
    throw err
  }
  return body.data
}

export async function loadMe() {
  const d = await gql(`{ me { id name role open townships { id name } deputy { id name } } }`)
  session.me = d.me
  session.known = true
  return d.me
}

// The townships the caller may work on: their own, or the whole county's.
export async function loadTownships() {
  if (session.me && session.me.townships) return session.me.townships
  const d = await gql(`{ townships(first: 500, orderBy: [{field: NAME}]) { nodes { id name } } }`)
  return d.townships.nodes
}

// A report as a file: the same GET a link would make, so errors can be shown
// on the page and the warnings read from the headers.
export async function downloadReport(id, params, format) {
  const q = new URLSearchParams({ format: format.toLowerCase() })
  for (const [k, v] of Object.entries(params)) {
    if (v !== '' && v !== null && v !== undefined) q.set(k, String(v))
  }
  return download(`/reports/${encodeURIComponent(id)}?${q}`, `${id}.${format.toLowerCase()}`)
}

// A list as XLSX or CSV (GET /export/{plural}.{format}), with the list's filter and order.
export async function downloadList(plural, format, township, filter, orderBy) {
  const q = new URLSearchParams({ township })
  if (filter) q.set('filter', JSON.stringify(filter))
  if (orderBy) q.set('orderBy', JSON.stringify(orderBy))
  return download(`/export/${plural}.${format}?${q}`, `${plural}.${format}`)
}

async function download(url, fallback) {
  const res = await fetch(url, { credentials: 'same-origin' })
  if (!res.ok) {
    const text = (await res.text()).trim()
    const code = { 400: 'BAD_USER_INPUT', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 503: 'TIMEOUT' }[res.status] || 'INTERNAL'
    const i = text.indexOf(': ')
    const field = code === 'BAD_USER_INPUT' && i > 0 ? text.slice(0, i) : ''
    throw new ApiError({ message: field ? text.slice(i + 2) : text, extensions: { code, field } })
  }
  const blob = await res.blob()
  let filename = fallback
  const cd = res.headers.get('Content-Disposition') || ''
  const m = /filename\*=utf-8''([^;]+)/i.exec(cd) || /filename="?([^";]+)"?/i.exec(cd)
  if (m) {
    try {
      filename = decodeURIComponent(m[1])
    } catch (e) {
      filename = m[1]
    }
  }
  const warnings = []
  const w = res.headers.get('X-Report-Warning')
  if (w) for (const part of w.split(',')) warnings.push(decodeURIComponent(part.trim().replace(/\+/g, ' ')))
  const href = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = href
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(href), 60000)
  return { filename, size: blob.size, warnings }
}

// base64 of a File, for importRoster.
export function fileToBase64(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader()
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''))
    r.onerror = () => reject(r.error)
    r.readAsDataURL(file)
  })
}

// listen calls onChange with each batch of changes (township, kind, at) to the
// records the caller may see — the subscription `changes` over SSE (a POST
// streamed with fetch) — until stop() is called. A stream that ends (the
// server holds one an hour) or fails is opened again after a pause; no
// polling in between.
export function listen(townships, kinds, onChange) {
  let stopped = false
  let ctrl = null
  const query = `subscription($t: [ID!], $k: [RecordKind!]) { changes(townships: $t, kinds: $k) { township kind at } }`
  async function run() {
    while (!stopped) {
      ctrl = new AbortController()
      try {
        const res = await fetch('/graphql', {
          method: 'POST',
          credentials: 'same-origin',
          signal: ctrl.signal,
          headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
          body: JSON.stringify({ query, variables: { t: townships && townships.length ? townships : null, k: kinds && kinds.length ? kinds : null } }),
        })
        const reader = res.body.getReader()
        const dec = new TextDecoder()
        let buf = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          buf += dec.decode(value, { stream: true })
          let i
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, i)
            buf = buf.slice(i + 2)
            const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n')
            if (!data) continue
            try {
              const msg = JSON.parse(data)
              if (msg.data && msg.data.changes) onChange(msg.data.changes)
            } catch (e) {
              /* a frame that is not ours */
            }
          }
        }
      } catch (e) {
        if (stopped) return
      }
      if (!stopped) await new Promise((r) => setTimeout(r, 3000))
    }
  }
  run()
  return () => {
    stopped = true
    if (ctrl) ctrl.abort()
  }
}
