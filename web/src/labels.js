// Chinese labels of the API's enumerations.
export const enums = {
  DeputyLevel: { CITY: '市级', COUNTY: '县级', TOWNSHIP: '镇级' },
  Gender: { MALE: '男', FEMALE: '女' },
  ProjectKind: { ROAD: '公路', SCHOOL: '学校', MARKET: '市场', OTHER: '其他' },
  ProjectStatus: { PLANNED: '计划', IN_PROGRESS: '在建', COMPLETED: '完工', SUSPENDED: '停工' },
  RoadSurface: { CEMENT: '水泥', ASPHALT: '沥青', GRAVEL: '砂石', EARTH: '土路' },
  ActivityKind: {
    DELIBERATION: '代表议政日', APPRAISAL: '评议', GROUP_DAY: '代表小组活动日', VISIT: '走访代表',
    MEETING: '会议', TRAINING: '培训', STANDARDIZATION: '规范化建设', OTHER: '其他',
  },
  SuggestionKind: { SUGGESTION: '建议', CRITICISM: '批评', OPINION: '意见' },
  SuggestionStatus: {
    SUBMITTED: '已提出', ACCEPTED: '已受理', ASSIGNED: '已交办', REPLIED: '已答复',
    EVALUATED: '已评价', CLOSED: '已办结', REJECTED: '不予受理', REOPENED: '重新办理',
    RETURNED: '已退办',
  },
  ReplyClass: { A: 'A类（已解决或基本解决）', B: 'B类（正在解决）', C: 'C类（列入规划逐步解决）', D: 'D类（留作参考）' },
  SuggestionStep: { EXTENDED: '延期', SUPERVISED: '列入重点督办', UNSUPERVISED: '取消重点督办', REDO: '代表不满意，重新办理' },
  Satisfaction: { SATISFIED: '满意', BASICALLY_SATISFIED: '基本满意', DISSATISFIED: '不满意' },
  DatePrecision: { DAY: '日', DEKAD: '旬', MONTH: '月', SEASON: '季', HALF: '半年', YEAR: '年' },
  SubjectKind: { DEPARTMENT: '部门', OFFICIAL: '干部' },
  Role: { VIEWER: '查看', EDITOR: '录入', ADMIN: '管理员', SYSADMIN: '系统管理员', SECADMIN: '安全管理员', AUDITOR: '审计员', DEPUTY: '代表' },
  SubmissionKind: { VOTER_CONTACT: '联系选民', SUGGESTION: '代表建议' },
  SubmissionStatus: { PENDING: '待审核', APPROVED: '已通过', RETURNED: '已退回' },
  AgendaItemKind: { REPORT: '听取和审议报告', ELECTION: '选举', DECISION: '决定', LIVELIHOOD_VOTE: '民生实事票决', OTHER: '其他' },
  AttendanceStatus: { PRESENT: '出席', ON_LEAVE: '请假', ABSENT: '缺席' },
  VoteMethod: { OPEN: '举手/表决器', SECRET: '无记名投票' },
  ElectionMethod: { COMPETITIVE: '差额', NON_COMPETITIVE: '等额' },
  LivelihoodBallotMethod: { ITEM: '逐项表决', RANKING: '差额票决（N选M）' },
}

export function label(enumName, value) {
  if (value === null || value === undefined) return ''
  return (enums[enumName] && enums[enumName][value]) || value
}

export function options(enumName) {
  return Object.entries(enums[enumName]).map(([value, label]) => ({ value, label }))
}

// What a button to move a suggestion to a status says.
export const transitionVerbs = {
  ACCEPTED: '受理', ASSIGNED: '交办', REPLIED: '标记已答复', EVALUATED: '标记已评价',
  CLOSED: '办结', REJECTED: '不予受理', REOPENED: '重新办理', SUBMITTED: '退回',
  RETURNED: '退办',
}

export const actionLabels = {
  create: '新建', update: '修改', delete: '删除', revert: '恢复到旧版本', restore: '恢复删除', transition: '流转',
  login: '登录', logout: '退出', revoke: '吊销', save: '保存', rollback: '回滚', import: '导入',
}

// What the audit log's kinds are called.
export const auditKinds = {
  townships: '乡镇', deputies: '代表', villages: '村', projects: '项目', inspections: '视察', activities: '活动',
  suggestions: '建议', congressSessions: '人代会', presidiumMeetings: '主席团会议', livelihoodProjects: '民生实事项目', accounts: '账号', apiKeys: 'API 密钥', reportTemplates: '报表模板', attributeDefinitions: '属性定义',
}

// actorText writes who did something (an audit entry's actor, a version's
// author) as a clerk reads it: the account's login name, 本机管理员 for the
// open server and the command line, 密钥 and its name for an API key.
export function actorText(id) {
  if (!id) return ''
  if (id === 'local') return '本机管理员'
  if (id === 'anonymous') return '未登录'
  if (id === 'upgrade') return '系统升级'
  if (id.startsWith('user:')) return id.slice(5)
  if (id.startsWith('key:')) return '密钥 ' + id.slice(4)
  return id
}
