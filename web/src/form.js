// A form's model: read from a record, written to a create input or to a
// partial patch holding only the fields the clerk changed.

export function blank(f) {
  switch (f.type) {
    case 'text':
    case 'suggest':
    case 'textarea':
    case 'json':
      return ''
    case 'bool':
      return false
    case 'enums':
    case 'refs':
    case 'strings':
    case 'lines':
    case 'objects':
    case 'roll':
      return []
    case 'span':
      return { date: '', precision: 'DAY' }
    case 'group':
      return Object.fromEntries(f.sub.map((s) => [s.key, blank(s)]))
  }
  return null
}

// jsonSyntax says in Chinese where JSON text is wrong: the browser's own
// message is English and differs between browsers.
function jsonSyntax(text, message) {
  let where = ''
  const lc = /line (\d+) column (\d+)/.exec(message)
  const pos = /position (\d+)/.exec(message)
  if (lc) where = `第${lc[1]}行第${lc[2]}个字符附近`
  else if (pos) where = `第${Number(pos[1]) + 1}个字符附近`
  let hint = ''
  if (/[“”‘’：，｛｝]/.test(text)) hint = '；引号、冒号、逗号和花括号须用英文半角（" : , { }）'
  else if (/'/.test(text)) hint = '；键和文字须用双引号（"），不能用单引号'
  return `不是有效的 JSON${where ? '：' + where + '有误' : ''}${hint || '；格式如 {"学历": "大专"}'}`
}

export function jsonProblem(text) {
  if (!text || !String(text).trim()) return ''
  try {
    const v = JSON.parse(text)
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return '须为 JSON 对象，如 {"学历": "大专"}'
  } catch (e) {
    return jsonSyntax(String(text), e.message)
  }
  return ''
}

// selection is what a record's form reads.
export function selection(fields) {
  return fields.map((f) => f.sel).join(' ')
}

function readValue(f, v) {
  if (f.read) return f.read(v ?? [])
  switch (f.type) {
    case 'ref':
      return v ? v.id : null
    case 'refs':
      return (v || []).map((x) => x.id)
    case 'span':
      return v ? { date: v.date, precision: v.precision } : blank(f)
    case 'json':
      return v && Object.keys(v).length ? JSON.stringify(v, null, 2) : ''
    case 'group':
      return v ? Object.fromEntries(f.sub.map((s) => [s.key, readValue(s, v[s.key])])) : blank(f)
    case 'objects':
      return (v || []).map((row) => {
        const out = { ...row }
        for (const s of f.sub) out[s.key] = readValue(s, row[s.key])
        return out
      })
    case 'roll':
      return (v || []).map((r) => ({ deputyId: r.deputyId, status: r.status, note: r.note ?? '', name: r.deputy ? r.deputy.name : r.deputyId }))
    case 'text':
    case 'suggest':
    case 'textarea':
      return v ?? ''
    case 'bool':
      return !!v
    case 'enums':
    case 'strings':
    case 'lines':
      return v ? [...v] : []
  }
  return v ?? null
}

// fromRecord makes a form model of a record, and the labels its pickers show.
export function fromRecord(fields, rec) {
  const model = {}
  const labels = {}
  for (const f of fields) {
    model[f.key] = readValue(f, rec[f.key])
    if (f.type === 'ref') labels[f.key] = rec[f.key] ? [rec[f.key]] : []
    if (f.type === 'refs') labels[f.key] = rec[f.key] || []
  }
  return { model, labels }
}

export function emptyModel(fields) {
  return Object.fromEntries(fields.map((f) => [f.key, blank(f)]))
}

function isEmpty(v) {
  if (v === null || v === undefined || v === '') return true
  if (Array.isArray(v)) return v.length === 0
  if (typeof v === 'object') return Object.values(v).every(isEmpty)
  return false
}

// inputValue converts a model value to the input's; undefined leaves it out.
function inputValue(f, v, create) {
  if (f.clearAs !== undefined && !create && (v === null || v === undefined)) return f.clearAs
  switch (f.type) {
    case 'text':
    case 'suggest':
    case 'textarea':
      return create && v === '' ? undefined : v
    case 'json':
      if (!v || !String(v).trim()) return create ? undefined : {}
      return JSON.parse(v)
    case 'span':
      return v && v.date ? { date: v.date, precision: v.precision } : undefined
    case 'group': {
      if (isEmpty(v)) return undefined
      const out = {}
      for (const s of f.sub) {
        const x = inputValue(s, v[s.key], true)
        if (x !== undefined) out[s.key] = x
      }
      return out
    }
    case 'objects':
      return (v || []).map((row) => {
        const out = {}
        for (const [k, x] of Object.entries(row)) {
          const s = f.sub.find((s) => s.key === k)
          const y = s ? inputValue(s, x, true) : x
          if (y !== undefined && y !== null && !(Array.isArray(y) && !y.length && !s)) out[k] = y
        }
        return out
      })
    case 'roll':
      return create && !(v || []).length ? undefined : (v || []).map((r) => (r.note ? { deputyId: r.deputyId, status: r.status, note: r.note } : { deputyId: r.deputyId, status: r.status }))
    case 'bool':
      return !!v
    case 'enums':
      return v || [] // levels is required as a list: an empty one is the server's to refuse
    case 'refs':
    case 'strings':
      return create && !(v || []).length ? undefined : v || []
    case 'lines':
      return (v || []).filter((s) => s.trim() !== '')
  }
  return v === null || v === undefined || v === '' ? undefined : v
}

function visible(f, model) {
  return !f.showIf || f.showIf(model)
}

// toCreateInput is the create input of a new record's model.
export function toCreateInput(fields, model) {
  const input = {}
  for (const f of fields) {
    if (f.editOnly || !visible(f, model)) continue
    const v = inputValue(f, model[f.key], true)
    if (v !== undefined) input[f.input || f.key] = v
  }
  return input
}

// toPatch is the partial patch of the fields changed since initial.
export function toPatch(fields, initial, model) {
  const input = {}
  for (const f of fields) {
    if (f.createOnly) continue
    if (JSON.stringify(initial[f.key]) === JSON.stringify(model[f.key])) continue
    const v = inputValue(f, model[f.key], false)
    if (v !== undefined) input[f.input || f.key] = v
  }
  return input
}

// fieldOf maps an error's extensions.field (input.date.precision,
// input.honours.0.title, villageId) to the form field it is about.
export function fieldOf(fields, path) {
  if (!path) return ''
  const parts = path.split('.')
  if (parts[0] === 'input') parts.shift()
  const head = parts[0]
  const f = fields.find((f) => f.key === head || f.input === head)
  return f ? f.key : ''
}
