// renda's API answers errors in English with a code (extensions.code) and,
// for bad input, the field (extensions.field). The console shows them in
// Chinese: the common messages are translated here; any other keeps the
// server's words after a Chinese lead naming the kind of error.

const patterns = [
  [/wrong user name or password/, () => '用户名或密码错误'],
  [/too many failed sign-ins: try again in (.+)$/, (m) => `登录失败次数过多，请在 ${m[1]} 后再试`],
  [/your session has ended/, () => '登录已失效，请重新登录'],
  [/the old password is wrong/, () => '原密码错误'],
  [/the new password is the old one/, () => '新密码不能与原密码相同'],
  [/passwords? .*(10 to 200|at least)/, () => '密码须为 10 到 200 个字符'],
  [/^(\S+) is required$/, () => '必填'],
  [/a user name is 2 to 40 lower-case letters/, () => '用户名为 2 到 40 个小写字母、数字或 . _ -，以字母或数字开头'],
  [/user name .* is taken/, () => '用户名已被使用'],
  [/is not a date in YYYY-MM-DD form/, () => '不是有效的日期（年-月-日）'],
  [/a deputy holds at least one level/, () => '至少选择一个代表级别（市级、县级、镇级）'],
  [/level .* is unknown or given twice/, () => '代表级别重复或无效'],
  [/year -?\d+ is out of range/, () => '年份超出范围'],
  [/a DEKAD .*span starts on day 1, 11 or 21/, () => '按旬记录的日期须从 1 日、11 日或 21 日开始（如 10月中旬 为 10-11）'],
  [/a MONTH span starts on the first/, () => '按月记录的日期须从当月 1 日开始'],
  [/a SEASON span starts on/, () => '按季记录的日期须从 3月1日（春）、6月1日（夏）、9月1日（秋）或 12月1日（冬）开始'],
  [/a HALF span starts on/, () => '按半年记录的日期须从 1月1日（上半年）或 7月1日（下半年）开始'],
  [/a YEAR span starts on 01-01/, () => '按年记录的日期须从 1月1日 开始'],
  [/a span must end by 9999-12-31/, () => '日期超出范围'],
  [/an OTHER activity needs a category/, () => '“其他”类活动须填写类别'],
  [/an APPRAISAL names at least one subject/, () => '评议须至少列出一个评议对象'],
  [/details are for (\S+) activities/, () => '这部分内容与活动类型不符'],
  [/subjectKind is DEPARTMENT or OFFICIAL/, () => '评议对象类型须为部门或干部'],
  [/votes cannot be negative/, () => '票数不能为负数'],
  [/is at most (\d+) characters/, (m) => `最多 ${m[1]} 个字`],
  [/holds at most (\d+) items/, (m) => `最多 ${m[1]} 项`],
  [/each item of .* is at most (\d+) characters/, (m) => `每项最多 ${m[1]} 个字`],
  [/length and surface are for ROAD projects/, () => '长度和路面只适用于公路项目'],
  [/(\d+) bidders named but only (\d+) teams bid/, (m) => `列出了 ${m[1]} 家投标单位，但投标队伍只有 ${m[2]} 支`],
  [/cannot be negative/, () => '不能为负数'],
  [/the deadline is a date on or after the day it was submitted/, () => '办理期限不能早于提出日期'],
  [/write the reply .*before moving to REPLIED/, () => '请先填写答复内容并保存，再标记为“已答复”'],
  [/record the deputy's satisfaction .*before moving to EVALUATED/, () => '请先记录代表的满意程度并保存，再标记为“已评价”'],
  [/name the department .*before moving to ASSIGNED/, () => '请先填写承办单位并保存，再标记为“已交办”'],
  [/a (\w+) suggestion can move to (.+), not (\w+)$/, (m) => `“${statusLabel(m[1])}”的建议只能转为${m[2].split(' or ').map((s) => '“' + statusLabel(s) + '”').join('或')}，不能转为“${statusLabel(m[3])}”`],
  // The suggestion workflow's rules (internal/records/suggestion_flow.go).
  [/class the reply A, B, C or D .*before moving to REPLIED/, () => '请先选择答复类别（A、B、C、D 类）并保存，再标记为“已答复”'],
  [/unknown reply class/, () => '答复类别须为 A、B、C、D 类之一'],
  [/a department returning a suggestion \(退办\) gives its reason/, () => '退办须填写承办单位的退办理由'],
  [/a suggestion assigned on (\S+) could be returned until (\S+) \((\d+) days\)/, (m) => `该建议于 ${m[1]} 交办，只能在交办后 ${m[3]} 日内（至 ${m[2]}）退办；已超过退办期限，请承办单位答复，或申请延期`],
  [/(\S+) returned this suggestion: assign it to another department/, (m) => `“${m[1]}”已退办此建议，请交办给其他承办单位`],
  [/only a suggestion awaiting its department's reply \(ASSIGNED or REOPENED\) is extended, not a (\w+) one/, (m) => `只有“已交办”或“重新办理”的建议可以延期，不能延期“${statusLabel(m[1])}”的建议`],
  [/the deadline was extended once already/, () => '办理期限已经延期过一次，只能延期一次'],
  [/an extension is 1 to (\d+) days, not (-?\d+)/, (m) => `延期天数须为 1 到 ${m[1]} 天，不能是 ${m[2]} 天`],
  [/give the reason for the extension/, () => '请填写延期理由'],
  [/the suggestion has no deadline to extend/, () => '该建议没有办理期限，无需延期'],
  [/the deadline (\S+) has passed: an extension is asked on or before it/, (m) => `办理期限 ${m[1]} 已过；延期须在期限届满前（含当日）申请`],
  [/the suggestion is under 重点督办 already/, () => '该建议已列入重点督办'],
  [/the suggestion is not under 重点督办/, () => '该建议未列入重点督办'],
  [/a (\w+) suggestion is not put under 重点督办/, (m) => `“${statusLabel(m[1])}”的建议不能列入重点督办`],
  [/the deadline of an assigned suggestion moves only by its one extension/, () => '建议交办后，办理期限只能通过“延期”（限一次）变更'],
  [/a co-handling department is named, and is not the lead department/, () => '协办单位须填写名称，且不能与主办单位相同'],
  [/tag .* is given twice/, () => '标签重复'],
  [/a tag is 1 to (\d+) characters/, (m) => `标签为 1 到 ${m[1]} 个字`],
  [/attribute key .* must be/, () => '属性名须为 1 到 100 个字符，不含“.”，不以“$”开头'],
  [/attributes hold at most/, () => '自定义属性过大'],
  [/attributes nest deeper/, () => '自定义属性嵌套过深'],
  [/attributes hold more than (\d+) keys/, (m) => `自定义属性最多 ${m[1]} 项`],
  [/id .* is given twice/, () => '重复选择了同一项'],
  [/(\S+) ".*" not found in township/, () => '所选记录不在本乡镇'],
  [/is at version \d+, not \d+|was changed by someone else|changed since you read it/, () => '已被他人修改，请重新加载后再修改'],
  [/is still referenced by (\d+) (\S+)/, (m) => `仍有 ${m[1]} 条${kindNoun(m[2])}引用该记录，请先修改它们`],
  [/exists already/, () => '记录已存在'],
  [/an attachment URL is an http or https address/, () => '附件地址须以 http 或 https 开头'],
  [/the file is not base64/, () => '文件无法读取'],
  [/ran out of time|was cancelled/, () => '请求超时，请稍后再试'],
  [/only an admin/, () => '只有管理员可以执行此操作'],
  [/not found|^no record/, () => '记录不存在或无权查看'],
]

const statusLabels = {
  SUBMITTED: '已提出', ACCEPTED: '已受理', ASSIGNED: '已交办', REPLIED: '已答复',
  EVALUATED: '已评价', CLOSED: '已办结', REJECTED: '不予受理', REOPENED: '重新办理',
  RETURNED: '已退办',
}
function statusLabel(s) {
  return statusLabels[s] || s
}
function kindNoun(s) {
  return { deputies: '代表', villages: '村', projects: '项目', inspections: '视察', activities: '活动', suggestions: '建议' }[s] || '记录'
}

const codeLeads = {
  BAD_USER_INPUT: '输入有误',
  NOT_FOUND: '未找到',
  CONFLICT: '已被他人修改',
  FORBIDDEN: '无权执行此操作',
  UNAUTHENTICATED: '请先登录',
  TIMEOUT: '请求超时',
  INTERNAL: '服务器内部错误',
}

// translate turns a server message into Chinese.
export function translate(message, code, field) {
  for (const [re, f] of patterns) {
    const m = re.exec(message)
    if (m) return f(m)
  }
  if (/[\u4e00-\u9fff]/.test(message) && !/[a-z]{4,} [a-z]{4,}/.test(message)) return message
  const lead = codeLeads[code] || '出错了'
  return message ? `${lead}：${message}` : lead
}
