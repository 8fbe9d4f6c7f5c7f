// Date spans as renda stores them (internal/records/date.go): a span starts
// on a day its precision allows, so the form offers only those.

const pad = (n) => String(n).padStart(2, '0')

// snapSpan moves date to the first day of the span of precision p holding it.
export function snapSpan(date, p) {
  const [y, m, d] = date.split('-').map(Number)
  if (!y) return ''
  switch (p) {
    case 'DEKAD':
      return `${y}-${pad(m)}-${pad(d >= 21 ? 21 : d >= 11 ? 11 : 1)}`
    case 'MONTH':
      return `${y}-${pad(m)}-01`
    case 'SEASON':
      if (m <= 2) return `${y - 1}-12-01` // winter runs December to February
      return `${y}-${pad(m - ((m - 3) % 3))}-01`
    case 'HALF':
      return `${y}-${m < 7 ? '01' : '07'}-01`
    case 'YEAR':
      return `${y}-01-01`
  }
  return `${y}-${pad(m)}-${pad(d)}`
}

// spanText writes a span as renda's DateSpan.fullText does: 2023年10月中旬.
export function spanText(s) {
  if (!s || !s.date) return ''
  const [y, m, d] = s.date.split('-').map(Number)
  switch (s.precision) {
    case 'DAY':
      return `${y}年${m}月${d}日`
    case 'DEKAD':
      return `${y}年${m}月${['上旬', '中旬', '下旬'][Math.min(Math.floor((d - 1) / 10), 2)]}`
    case 'MONTH':
      return `${y}年${m}月`
    case 'SEASON':
      return `${y}年${{ 3: '春季', 6: '夏季', 9: '秋季', 12: '冬季' }[m] || ''}`
    case 'HALF':
      return `${y}年${m < 7 ? '上半年' : '下半年'}`
    case 'YEAR':
      return `${y}年`
  }
  return s.date
}

// Times are shown on the townships' clock, whatever the browser's.
const clock = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false })

// fmtTime writes an API time (RFC 3339) as 2023-01-16 09:30.
export function fmtTime(t) {
  return t ? clock.format(new Date(t)).replace(/\//g, '-') : ''
}

// today is the date in Shanghai, YYYY-MM-DD: a form's default day.
export function today() {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
}
