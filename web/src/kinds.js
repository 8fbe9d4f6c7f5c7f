// What the console knows of each kind of record: its list (columns,
// filters, orders) and its form (fields, how they read from a record and
// write to an input). Everything else is generic.
import { label } from './labels.js'

// A field of a form:
//   key: the record's field; input: the input's field (villageId);
//   type: text textarea int float bool enum enums date span ref refs strings lines objects group json;
//   sel: what to select to read it back; sub: the fields of an objects/group.
const meta = [
  { key: 'tags', label: '标签', type: 'strings', sel: 'tags' },
  { key: 'attributes', label: '自定义属性', type: 'json', sel: 'attributes', help: 'JSON 对象，如 {"学历": "大专"}' },
]

const headcounts = {
  key: 'otherParticipants', label: '其他参加人员', type: 'objects', sel: 'otherParticipants { kind count }',
  sub: [
    { key: 'kind', label: '类别', type: 'text', placeholder: '如 村支部书记' },
    { key: 'count', label: '人数', type: 'int' },
  ],
}

export const kinds = {
  deputy: {
    noun: '代表', plural: 'deputies', path: 'deputies', title: (r) => r.name,
    list: {
      sel: 'id name gender birthDate party levels group phone village { id name }',
      columns: [
        { prop: 'name', label: '姓名', order: 'NAME', width: 110 },
        { label: '性别', width: 60, value: (r) => label('Gender', r.gender) },
        { prop: 'birthDate', label: '出生日期', width: 110 },
        { prop: 'party', label: '政治面貌', width: 110 },
        { label: '代表级别', value: (r) => r.levels.map((l) => label('DeputyLevel', l)).join('、'), width: 150 },
        { prop: 'group', label: '代表小组', order: 'GROUP', minWidth: 120 },
        { label: '所在村', value: (r) => (r.village ? r.village.name : ''), minWidth: 100 },
        { prop: 'phone', label: '联系电话', width: 130 },
      ],
      filters: [
        { key: 'name', label: '姓名', type: 'text', build: (v) => ({ name: { contains: v } }) },
        { key: 'level', label: '代表级别', type: 'enum', enum: 'DeputyLevel', build: (v) => ({ levels: { has: v } }) },
        { key: 'group', label: '代表小组', type: 'text', build: (v) => ({ group: { contains: v } }) },
        { key: 'village', label: '所在村', type: 'ref', ref: 'village', build: (v) => ({ village: { eq: v } }) },
      ],
      defaultOrder: 'NAME',
    },
    fields: [
      { key: 'name', label: '姓名', type: 'text', sel: 'name', required: true },
      { key: 'gender', label: '性别', type: 'enum', enum: 'Gender', sel: 'gender' },
      { key: 'birthDate', label: '出生日期', type: 'date', sel: 'birthDate' },
      { key: 'ethnicity', label: '民族', type: 'text', sel: 'ethnicity' },
      { key: 'party', label: '政治面貌', type: 'text', sel: 'party' },
      { key: 'occupation', label: '职业', type: 'text', sel: 'occupation' },
      { key: 'phone', label: '联系电话', type: 'text', sel: 'phone' },
      { key: 'levels', label: '代表级别', type: 'enums', enum: 'DeputyLevel', sel: 'levels' },
      { key: 'term', label: '届次', type: 'text', sel: 'term' },
      { key: 'group', label: '代表小组', type: 'text', sel: 'group' },
      { key: 'village', input: 'villageId', label: '所在村', type: 'ref', ref: 'village', sel: 'village { id name }' },
      {
        key: 'honours', label: '荣誉', type: 'objects', sel: 'honours { year title level }',
        sub: [
          { key: 'year', label: '年度', type: 'int' },
          { key: 'title', label: '荣誉称号', type: 'text' },
          { key: 'level', label: '级别', type: 'enum', enum: 'DeputyLevel' },
        ],
      },
      {
        key: 'voters', label: '联系选民', type: 'objects',
        sel: 'voters { name contact since village { id } contacts { date channel summary suggestion { id } } }',
        read: (vs) => vs.map((v) => ({
          name: v.name, contact: v.contact, since: v.since, villageId: v.village ? v.village.id : null,
          contacts: v.contacts.map((c) => ({ date: c.date, channel: c.channel, summary: c.summary, suggestionId: c.suggestion ? c.suggestion.id : null })),
        })),
        sub: [
          { key: 'name', label: '姓名', type: 'text' },
          { key: 'contact', label: '联系方式', type: 'text' },
          { key: 'since', label: '联系起始', type: 'date' },
          {
            key: 'contacts', label: '联系记录', type: 'objects',
            sub: [
              { key: 'date', label: '日期', type: 'date' },
              { key: 'channel', label: '方式', type: 'text', placeholder: '走访、电话、座谈…' },
              { key: 'summary', label: '内容', type: 'textarea' },
            ],
          },
        ],
      },
      ...meta,
    ],
  },

  village: {
    noun: '村', plural: 'villages', path: 'villages', title: (r) => r.name,
    list: {
      sel: 'id name code population designations { year title }',
      columns: [
        { prop: 'name', label: '村名', order: 'NAME', minWidth: 120 },
        { prop: 'code', label: '代码', order: 'CODE', width: 140 },
        { prop: 'population', label: '人口', width: 90 },
        { label: '称号', value: (r) => r.designations.map((d) => `${d.year}年${d.title}`).join('；'), minWidth: 240 },
      ],
      filters: [
        { key: 'name', label: '村名', type: 'text', build: (v) => ({ name: { contains: v } }) },
        { key: 'designation', label: '称号', type: 'text', build: (v) => ({ designation: { contains: v } }) },
      ],
      defaultOrder: 'NAME',
    },
    fields: [
      { key: 'name', label: '村名', type: 'text', sel: 'name', required: true },
      { key: 'code', label: '代码', type: 'text', sel: 'code' },
      { key: 'population', label: '人口', type: 'int', sel: 'population' },
      {
        key: 'designations', label: '称号', type: 'objects', sel: 'designations { year title level }',
        sub: [
          { key: 'year', label: '年度', type: 'int' },
          { key: 'title', label: '称号', type: 'text', placeholder: '如 市级文明生态示范村' },
          { key: 'level', label: '级别', type: 'text' },
        ],
      },
      ...meta,
    ],
  },

  project: {
    noun: '项目', plural: 'projects', path: 'projects', title: (r) => r.name,
    list: {
      sel: 'id name kind year status lengthKm villages { id name }',
      columns: [
        { prop: 'name', label: '项目名称', order: 'NAME', minWidth: 200 },
        { label: '类型', value: (r) => label('ProjectKind', r.kind), width: 80, order: 'KIND' },
        { prop: 'year', label: '年度', width: 80, order: 'YEAR' },
        { label: '状态', value: (r) => label('ProjectStatus', r.status), width: 80 },
        { label: '所在村', value: (r) => r.villages.map((v) => v.name).join('、'), minWidth: 140 },
        { label: '长度（公里）', value: (r) => (r.lengthKm ?? ''), width: 110 },
      ],
      filters: [
        { key: 'name', label: '名称', type: 'text', build: (v) => ({ name: { contains: v } }) },
        { key: 'kind', label: '类型', type: 'enum', enum: 'ProjectKind', build: (v) => ({ kind: { eq: v } }) },
        { key: 'status', label: '状态', type: 'enum', enum: 'ProjectStatus', build: (v) => ({ status: { eq: v } }) },
        { key: 'year', label: '年度', type: 'year', build: (v) => ({ year: { eq: v } }) },
        { key: 'village', label: '所在村', type: 'ref', ref: 'village', build: (v) => ({ villages: { has: v } }) },
      ],
      defaultOrder: 'NAME',
    },
    fields: [
      { key: 'name', label: '项目名称', type: 'text', sel: 'name', required: true },
      { key: 'kind', label: '类型', type: 'enum', enum: 'ProjectKind', sel: 'kind', required: true },
      { key: 'year', label: '年度', type: 'int', sel: 'year', required: true },
      { key: 'status', label: '状态', type: 'enum', enum: 'ProjectStatus', sel: 'status' },
      { key: 'villages', input: 'villageIds', label: '所在村', type: 'refs', ref: 'village', sel: 'villages { id name }' },
      { key: 'description', label: '说明', type: 'textarea', sel: 'description' },
      { key: 'lengthKm', label: '长度（公里）', type: 'float', sel: 'lengthKm', showIf: (m) => m.kind === 'ROAD' },
      { key: 'surface', label: '路面', type: 'enum', enum: 'RoadSurface', sel: 'surface', showIf: (m) => m.kind === 'ROAD' },
      {
        key: 'funding', label: '资金（元）', type: 'group', sel: 'funding { total sources { source amount } }',
        sub: [
          { key: 'total', label: '总额', type: 'float' },
          { key: 'sources', label: '来源', type: 'objects', sub: [{ key: 'source', label: '来源', type: 'text' }, { key: 'amount', label: '金额', type: 'float' }] },
        ],
      },
      {
        key: 'bidding', label: '招投标', type: 'group', sel: 'bidding { teams bidders winner method }',
        sub: [
          { key: 'teams', label: '投标队伍数', type: 'int' },
          { key: 'bidders', label: '投标单位', type: 'strings' },
          { key: 'winner', label: '中标单位', type: 'text' },
          { key: 'method', label: '方式', type: 'text' },
        ],
      },
      ...meta,
    ],
  },

  inspection: {
    noun: '视察', plural: 'inspections', path: 'inspections', title: (r) => r.topic,
    list: {
      sel: 'id topic date { fullText } organiser participantCount villages { id name }',
      columns: [
        { prop: 'topic', label: '视察主题', order: 'TOPIC', minWidth: 220 },
        { label: '时间', value: (r) => r.date.fullText, order: 'DATE', width: 130 },
        { prop: 'organiser', label: '组织者', minWidth: 120 },
        { prop: 'participantCount', label: '参加人数', width: 90 },
        { label: '视察村', value: (r) => r.villages.map((v) => v.name).join('、'), minWidth: 140 },
      ],
      filters: [
        { key: 'topic', label: '主题', type: 'text', build: (v) => ({ topic: { contains: v } }) },
        { key: 'year', label: '年度', type: 'year', build: (v) => ({ year: { eq: v } }) },
        { key: 'participant', label: '参加代表', type: 'ref', ref: 'deputy', build: (v) => ({ participants: { has: v } }) },
        { key: 'village', label: '视察村', type: 'ref', ref: 'village', build: (v) => ({ villages: { has: v } }) },
      ],
      defaultOrder: 'DATE',
      defaultDirection: 'DESC',
    },
    fields: [
      { key: 'topic', label: '视察主题', type: 'text', sel: 'topic', required: true },
      { key: 'date', label: '时间', type: 'span', sel: 'date { date precision text fullText }', required: true },
      { key: 'organiser', label: '组织者', type: 'text', sel: 'organiser' },
      { key: 'participants', input: 'participantIds', label: '参加代表', type: 'refs', ref: 'deputy', sel: 'participants { id name }' },
      headcounts,
      { key: 'villages', input: 'villageIds', label: '视察村', type: 'refs', ref: 'village', sel: 'villages { id name }' },
      { key: 'projects', input: 'projectIds', label: '视察项目', type: 'refs', ref: 'project', sel: 'projects { id name }' },
      { key: 'findings', label: '发现的问题', type: 'textarea', sel: 'findings' },
      { key: 'suggestions', label: '提出的建议', type: 'lines', sel: 'suggestions' },
      { key: 'followUp', label: '后续跟进', type: 'textarea', sel: 'followUp' },
      ...meta,
    ],
  },

  activity: {
    noun: '活动', plural: 'activities', path: 'activities', title: (r) => r.title,
    list: {
      sel: 'id title kind category date { fullText } location participantCount',
      columns: [
        { prop: 'title', label: '活动名称', order: 'TITLE', minWidth: 220 },
        { label: '类型', value: (r) => label('ActivityKind', r.kind), order: 'KIND', width: 130 },
        { prop: 'category', label: '类别', width: 110 },
        { label: '时间', value: (r) => r.date.fullText, order: 'DATE', width: 130 },
        { prop: 'location', label: '地点', minWidth: 110 },
        { prop: 'participantCount', label: '参加人数', width: 90 },
      ],
      filters: [
        { key: 'title', label: '名称', type: 'text', build: (v) => ({ title: { contains: v } }) },
        { key: 'kind', label: '类型', type: 'enum', enum: 'ActivityKind', build: (v) => ({ kind: { eq: v } }) },
        { key: 'year', label: '年度', type: 'year', build: (v) => ({ year: { eq: v } }) },
        { key: 'participant', label: '参加代表', type: 'ref', ref: 'deputy', build: (v) => ({ participants: { has: v } }) },
      ],
      defaultOrder: 'DATE',
      defaultDirection: 'DESC',
    },
    fields: [
      { key: 'title', label: '活动名称', type: 'text', sel: 'title', required: true },
      { key: 'kind', label: '类型', type: 'enum', enum: 'ActivityKind', sel: 'kind', required: true },
      { key: 'category', label: '类别', type: 'text', sel: 'category', help: '“其他”类活动必填，如 工作计划、存在问题' },
      { key: 'date', label: '时间', type: 'span', sel: 'date { date precision text fullText }', required: true },
      { key: 'location', label: '地点', type: 'text', sel: 'location' },
      { key: 'organiser', label: '组织者', type: 'text', sel: 'organiser' },
      { key: 'participants', input: 'participantIds', label: '参加代表', type: 'refs', ref: 'deputy', sel: 'participants { id name }' },
      headcounts,
      { key: 'villages', input: 'villageIds', label: '涉及村', type: 'refs', ref: 'village', sel: 'villages { id name }' },
      { key: 'projects', input: 'projectIds', label: '涉及项目', type: 'refs', ref: 'project', sel: 'projects { id name }' },
      { key: 'summary', label: '活动情况', type: 'textarea', sel: 'summary' },
      { key: 'outcome', label: '成效', type: 'textarea', sel: 'outcome' },
      {
        key: 'deliberation', label: '议政', type: 'group', sel: 'deliberation { topic decision votes { for against abstain } }',
        showIf: (m) => m.kind === 'DELIBERATION',
        sub: [
          { key: 'topic', label: '议题', type: 'text' },
          { key: 'decision', label: '决定', type: 'textarea' },
          { key: 'votes', label: '表决', type: 'group', sub: [
            { key: 'for', label: '赞成', type: 'int' }, { key: 'against', label: '反对', type: 'int' }, { key: 'abstain', label: '弃权', type: 'int' },
          ] },
        ],
      },
      {
        key: 'appraisal', label: '评议', type: 'group', sel: 'appraisal { subjects { name subjectKind methods score rank verdict rectification } }',
        showIf: (m) => m.kind === 'APPRAISAL',
        sub: [
          { key: 'subjects', label: '评议对象', type: 'objects', sub: [
            { key: 'name', label: '名称', type: 'text' },
            { key: 'subjectKind', label: '对象类型', type: 'enum', enum: 'SubjectKind' },
            { key: 'methods', label: '方式', type: 'strings', placeholder: '述职、测评票…' },
            { key: 'score', label: '得分', type: 'float' },
            { key: 'rank', label: '名次', type: 'int' },
            { key: 'verdict', label: '结果', type: 'text', placeholder: '满意' },
            { key: 'rectification', label: '整改', type: 'textarea' },
          ] },
        ],
      },
      {
        key: 'standardization', label: '规范化建设', type: 'group', sel: 'standardization { amountYuan items }',
        showIf: (m) => m.kind === 'STANDARDIZATION',
        sub: [
          { key: 'amountYuan', label: '投入（元）', type: 'float' },
          { key: 'items', label: '建设内容', type: 'strings' },
        ],
      },
      {
        key: 'attachments', label: '附件链接', type: 'objects', sel: 'attachments { name url }',
        sub: [{ key: 'name', label: '名称', type: 'text' }, { key: 'url', label: '地址', type: 'text' }],
      },
      ...meta,
    ],
  },

  suggestion: {
    noun: '建议', plural: 'suggestions', path: 'suggestions', title: (r) => r.title,
    list: {
      sel: 'id title kind submitted department deadline status deputy { id name }',
      columns: [
        { prop: 'title', label: '标题', minWidth: 220 },
        { label: '类别', value: (r) => label('SuggestionKind', r.kind), width: 70 },
        { label: '提出代表', value: (r) => (r.deputy ? r.deputy.name : ''), width: 100 },
        { prop: 'submitted', label: '提出日期', order: 'SUBMITTED', width: 110 },
        { prop: 'department', label: '承办单位', minWidth: 120 },
        { prop: 'deadline', label: '办理期限', width: 110 },
        { label: '状态', value: (r) => label('SuggestionStatus', r.status), order: 'STATUS', width: 100 },
      ],
      filters: [
        { key: 'title', label: '标题', type: 'text', build: (v) => ({ title: { contains: v } }) },
        { key: 'status', label: '状态', type: 'enum', enum: 'SuggestionStatus', build: (v) => ({ status: { eq: v } }) },
        { key: 'year', label: '年度', type: 'year', build: (v) => ({ year: { eq: v } }) },
        { key: 'deputy', label: '提出代表', type: 'ref', ref: 'deputy', build: (v) => ({ deputy: { eq: v } }) },
        { key: 'department', label: '承办单位', type: 'text', build: (v) => ({ department: { contains: v } }) },
      ],
      defaultOrder: 'SUBMITTED',
      defaultDirection: 'DESC',
    },
    fields: [
      { key: 'deputy', input: 'deputyId', label: '提出代表', type: 'ref', ref: 'deputy', sel: 'deputy { id name }', required: true, createOnly: true },
      { key: 'voterName', label: '反映选民', type: 'text', sel: 'voterName' },
      { key: 'kind', label: '类别', type: 'enum', enum: 'SuggestionKind', sel: 'kind' },
      { key: 'title', label: '标题', type: 'text', sel: 'title', required: true },
      { key: 'content', label: '内容', type: 'textarea', sel: 'content' },
      { key: 'category', label: '分类', type: 'text', sel: 'category' },
      { key: 'submitted', label: '提出日期', type: 'date', sel: 'submitted', required: true },
      { key: 'department', label: '承办单位', type: 'text', sel: 'department' },
      { key: 'deadline', label: '办理期限', type: 'date', sel: 'deadline' },
      { key: 'reply', label: '答复内容', type: 'textarea', sel: 'reply', editOnly: true },
      { key: 'satisfaction', label: '满意程度', type: 'enum', enum: 'Satisfaction', sel: 'satisfaction', editOnly: true },
      { key: 'valuable', label: '有价值（计入月度履职）', type: 'bool', sel: 'valuable' },
      ...meta,
    ],
  },
}

// Townships are not records of a township: their list and form are the
// county's (unscoped); county admins create them, a township's admins edit
// theirs (its presidium, the facts documents state of it).
kinds.township = {
  noun: '乡镇', plural: 'townships', path: 'townships', title: (r) => r.name, unscoped: true, noExport: true, admin: true,
  list: {
    sel: 'id name county presidium { name role }',
    columns: [
      { prop: 'name', label: '乡镇', order: 'NAME', minWidth: 120 },
      { prop: 'county', label: '所属县', width: 200 },
      { label: '人大主席团', value: (r) => r.presidium.map((p) => (p.role ? `${p.name}（${p.role}）` : p.name)).join('、'), minWidth: 300 },
    ],
    filters: [{ key: 'name', label: '名称', type: 'text', build: (v) => ({ name: { contains: v } }) }],
    defaultOrder: 'NAME',
  },
  fields: [
    { key: 'name', label: '乡镇名称', type: 'text', sel: 'name', required: true, placeholder: '如 棋盘山镇' },
    { key: 'county', label: '所属县', type: 'text', sel: 'county', placeholder: '如 围场满族蒙古族自治县' },
    {
      key: 'presidium', label: '人大主席团', type: 'objects', sel: 'presidium { name role }',
      sub: [
        { key: 'name', label: '姓名', type: 'text' },
        { key: 'role', label: '职务', type: 'text', placeholder: '主席、副主席、委员' },
      ],
    },
    ...meta,
  ],
}

// The GraphQL type names of a kind: createDeputy, DeputyFilter …
export function typeName(kind) {
  return kind.charAt(0).toUpperCase() + kind.slice(1)
}

export const kindOrder = ['deputy', 'village', 'project', 'inspection', 'activity', 'suggestion']

export function kindByPath(path) {
  return [...kindOrder, 'township'].find((k) => kinds[k].path === path)
}

// What a reference picker shows for a record of kind.
export const refs = {
  deputy: { plural: 'deputies', text: 'name', filter: (q) => ({ name: { contains: q } }), sel: 'id name group', describe: (r) => r.group || '', order: '[{field: NAME}]' },
  village: { plural: 'villages', text: 'name', filter: (q) => ({ name: { contains: q } }), sel: 'id name', describe: () => '', order: '[{field: NAME}]' },
  project: { plural: 'projects', text: 'name', filter: (q) => ({ name: { contains: q } }), sel: 'id name year', describe: (r) => `${r.year}年`, order: '[{field: NAME}]' },
  inspection: { plural: 'inspections', text: 'topic', filter: (q) => ({ topic: { contains: q } }), sel: 'id topic date { fullText }', describe: (r) => r.date.fullText, order: '[{field: DATE, direction: DESC}]' },
  activity: { plural: 'activities', text: 'title', filter: (q) => ({ title: { contains: q } }), sel: 'id title date { fullText }', describe: (r) => r.date.fullText, order: '[{field: DATE, direction: DESC}]' },
}
