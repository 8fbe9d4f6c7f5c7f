// The work between sessions: reception days (联络站接待) and duty points
// (履职积分) — their Chinese labels and what their pages share.
import { onMounted, onUnmounted, ref } from 'vue'

// Where a voter's matter was sent (处置分流), in the order of ReceptionRoute.
export const routeLabels = {
  ON_THE_SPOT: '当场答复',
  VILLAGE: '交村(居)办理',
  TOWNSHIP: '交镇或部门办理',
  SUGGESTION: '转为代表建议',
  HIGHER_DEPUTY: '委托上级代表',
}
export const routeTags = { ON_THE_SPOT: 'success', VILLAGE: 'warning', TOWNSHIP: 'primary', SUGGESTION: 'danger', HIGHER_DEPUTY: 'info' }

// What earns (or loses) duty points, in the order of DutyPointItem.
export const pointItemLabels = {
  SESSION_HALF_DAY: '出席人代会（每半天）',
  INSPECTION: '参加视察',
  DELIBERATION: '参加议政日',
  GROUP_DAY: '参加小组活动日',
  SUGGESTION: '提出建议',
  KEY_SUGGESTION: '重点建议',
  RECEPTION_DUTY: '联络站接待值班',
  TRAINING_HOUR: '参加培训（每小时）',
  VOTER_CONTACT: '联系选民（每次）',
  ABSENCE: '无故缺席',
  BASE: '基础分',
  CAP: '封顶扣减',
}
// The items a rule may name: BASE and CAP are the ledger's own lines.
export const ruleItems = Object.keys(pointItemLabels).filter((k) => k !== 'BASE' && k !== 'CAP')

// Where a ledger line's source record opens in the console.
const kindPaths = {
  DEPUTY: 'deputies', VILLAGE: 'villages', PROJECT: 'projects', INSPECTION: 'inspections', ACTIVITY: 'activities',
  SUGGESTION: 'suggestions', SESSION: 'sessions', CONGRESS_SESSION: 'sessions', PRESIDIUM_MEETING: 'presidium-meetings',
  LIVELIHOOD_PROJECT: 'livelihood-projects', RECEPTION: 'receptions',
}
export const sourceKindLabels = {
  DEPUTY: '代表', INSPECTION: '视察', ACTIVITY: '活动', SUGGESTION: '建议', SESSION: '人代会', CONGRESS_SESSION: '人代会',
  PRESIDIUM_MEETING: '主席团会议', RECEPTION: '接待日', LIVELIHOOD_PROJECT: '民生实事', POINT_RULES: '积分办法',
}
export function sourcePath(src) {
  const p = src && kindPaths[src.kind]
  return p ? `/${p}/${src.id}` : ''
}

// 2023-01-16 → 2023年1月16日
export function dateText(d) {
  if (!d) return ''
  const [y, m, day] = d.split('-').map(Number)
  return `${y}年${m}月${day}日`
}

// A number of points as a 公示表 writes it: 12, 7.5, −3.
export function pts(n) {
  if (n === null || n === undefined) return ''
  const r = Math.round(n * 100) / 100
  return String(r)
}

// narrow is true on a phone's width: the pages lay their tables out as cards.
export function useNarrow() {
  const q = window.matchMedia('(max-width: 768px)')
  const narrow = ref(q.matches)
  const on = (e) => (narrow.value = e.matches)
  onMounted(() => q.addEventListener('change', on))
  onUnmounted(() => q.removeEventListener('change', on))
  return narrow
}

export function newKey() {
  return globalThis.crypto && crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`
}

// compact leaves out the null fields of an input, recursively: the API's
// scalars (Date) take a value or no field at all, and a field left out of a
// create input is empty (of a patch, unchanged).
export function compact(v) {
  if (Array.isArray(v)) return v.map(compact)
  if (v && typeof v === 'object') {
    const out = {}
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = compact(x)
    return out
  }
  return v
}
