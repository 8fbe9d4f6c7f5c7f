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
      { key: 'order', label: '文书中的顺序', type: 'int', sel: 'order', clearAs: 0, help: '总结等文书在同一节内按此排列（1、2、3…）；不填的按时间排在后面' },
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
      {
        key: 'category', label: '类别', type: 'suggest', sel: 'category', suggestions: ['工作计划', '存在问题', '评议代表'],
        help: '“其他”类活动必填。文书认得：工作计划（写入下期工作打算，日期填所计划的期间）、存在问题（写入存在的问题）、评议代表（选民评议代表）',
      },
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
        key: 'deliberation', label: '议政', type: 'group', sel: 'deliberation { topic series decision votes { for against abstain } }',
        showIf: (m) => m.kind === 'DELIBERATION',
        sub: [
          { key: 'topic', label: '议题', type: 'text' },
          { key: 'series', label: '总议题', type: 'text', placeholder: '几次会议共议一件事（如一个村的试点）时，各次填写相同的总议题，文书合为一项' },
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
        key: 'standardization', label: '规范化建设', type: 'group', sel: 'standardization { amountYuan items amountFor }',
        showIf: (m) => m.kind === 'STANDARDIZATION',
        sub: [
          { key: 'amountYuan', label: '投入（元）', type: 'float' },
          { key: 'items', label: '建设内容', type: 'strings', placeholder: '职责、制度、记录簿、购置的物品…' },
          { key: 'amountFor', label: '投入用于', type: 'strings', placeholder: '投入只用于其中几项时填写这几项' },
        ],
      },
      {
        key: 'attachments', label: '附件链接', type: 'objects', sel: 'attachments { name url }',
        sub: [{ key: 'name', label: '名称', type: 'text' }, { key: 'url', label: '地址', type: 'text' }],
      },
      { key: 'order', label: '文书中的顺序', type: 'int', sel: 'order', clearAs: 0, help: '总结等文书在同一节内按此排列（1、2、3…）；不填的按时间排在后面' },
      { key: 'tags', label: '标签', type: 'strings', sel: 'tags', suggestions: ['村务公开日', '镇人民代表大会'],
        help: '文书认得：村务公开日（代表小组活动日与之同日）、镇人民代表大会（本届人代会的会议）' },
      meta[1],
    ],
  },

  suggestion: {
    noun: '建议', plural: 'suggestions', path: 'suggestions', title: (r) => r.title,
    list: {
      sel: 'id title kind submitted department deadline status supervised overdue deputy { id name }',
      columns: [
        { prop: 'title', label: '标题', minWidth: 220 },
        { label: '类别', value: (r) => label('SuggestionKind', r.kind), width: 70 },
        { label: '提出代表', value: (r) => (r.deputy ? r.deputy.name : ''), width: 100 },
        { prop: 'submitted', label: '提出日期', order: 'SUBMITTED', width: 110 },
        { prop: 'department', label: '承办单位', minWidth: 120 },
        { prop: 'deadline', label: '办理期限', width: 110 },
        { label: '状态', value: (r) => [label('SuggestionStatus', r.status), r.supervised && '重点督办', r.overdue && '逾期'].filter(Boolean).join(' · '), order: 'STATUS', width: 150 },
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
      { key: 'department', label: '承办单位', type: 'text', sel: 'department', help: '主办单位；退办后须换一个单位再交办' },
      { key: 'coDepartments', label: '协办单位', type: 'strings', sel: 'coDepartments', placeholder: '输入单位名称后按回车添加' },
      { key: 'deadline', label: '办理期限', type: 'date', sel: 'deadline', help: '交办时自动定为交办日起三个月；补录往年建议时可在交办前填写。交办后只能“延期”一次' },
      { key: 'reply', label: '答复内容', type: 'textarea', sel: 'reply', editOnly: true },
      { key: 'replyClass', label: '答复类别', type: 'enum', enum: 'ReplyClass', sel: 'replyClass', editOnly: true },
      { key: 'satisfaction', label: '满意程度', type: 'enum', enum: 'Satisfaction', sel: 'satisfaction', editOnly: true },
      { key: 'valuable', label: '有价值（计入月度履职）', type: 'bool', sel: 'valuable' },
      ...meta,
    ],
  },

  session: {
    noun: '人代会', plural: 'sessions', path: 'sessions', title: (r) => r.title,
    list: {
      sel: 'id title start end place attendance { expected present onLeave absent quorum } votes { passed }',
      columns: [
        { prop: 'title', label: '会议', minWidth: 240 },
        { prop: 'start', label: '开幕', order: 'START', width: 110 },
        { prop: 'place', label: '地点', minWidth: 120 },
        { label: '应到/实到', value: (r) => `${r.attendance.expected}/${r.attendance.present}`, width: 100 },
        { label: '法定人数', value: (r) => (r.attendance.quorum ? '符合' : '不足'), width: 90 },
        { label: '表决通过', value: (r) => `${r.votes.filter((v) => v.passed).length}/${r.votes.length}`, width: 90 },
      ],
      filters: [
        { key: 'year', label: '年度', type: 'year', build: (v) => ({ year: { eq: v } }) },
        { key: 'deputy', label: '代表', type: 'ref', ref: 'deputy', build: (v) => ({ deputy: { has: v } }) },
      ],
      defaultOrder: 'START',
      defaultDirection: 'DESC',
    },
    fields: [
      { key: 'term', label: '届', type: 'int', sel: 'term', required: true, help: '第十八届填 18' },
      { key: 'sitting', label: '次', type: 'int', sel: 'sitting', required: true, help: '第三次会议填 3' },
      { key: 'start', label: '开幕日期', type: 'date', sel: 'start', required: true },
      { key: 'end', label: '闭幕日期', type: 'date', sel: 'end' },
      { key: 'place', label: '地点', type: 'text', sel: 'place' },
      { key: 'deputyCount', label: '全体代表人数', type: 'int', sel: 'deputyCount', help: '应到人数，表决以全体代表过半数为准；填 0 则以点名册人数为准' },
      {
        key: 'agendaItems', label: '议程', type: 'objects', sel: 'agendaItems { order title kind reporter day period }',
        sub: [
          { key: 'order', label: '序号', type: 'int' },
          { key: 'title', label: '议程', type: 'text' },
          { key: 'kind', label: '类型', type: 'enum', enum: 'AgendaItemKind' },
          { key: 'reporter', label: '报告人', type: 'text' },
          { key: 'day', label: '日期', type: 'date' },
          { key: 'period', label: '上/下午', type: 'text' },
        ],
      },
      { key: 'roll', label: '出席情况', type: 'roll', sel: 'roll { deputyId status note deputy { name } }' },
      {
        key: 'guests', label: '列席人员', type: 'objects', sel: 'guests { name title }',
        sub: [{ key: 'name', label: '姓名', type: 'text' }, { key: 'title', label: '职务', type: 'text' }],
      },
      {
        key: 'votes', label: '表决', type: 'objects', sel: 'votes { itemOrder subject method yes no abstain notVoting }',
        sub: [
          { key: 'itemOrder', label: '议程序号', type: 'int' },
          { key: 'subject', label: '表决事项', type: 'text' },
          { key: 'method', label: '方式', type: 'enum', enum: 'VoteMethod' },
          { key: 'yes', label: '赞成', type: 'int' },
          { key: 'no', label: '反对', type: 'int' },
          { key: 'abstain', label: '弃权', type: 'int' },
          { key: 'notVoting', label: '未按', type: 'int' },
        ],
      },
      {
        key: 'elections', label: '选举', type: 'objects', sel: 'elections { itemOrder office seats method ballotsIssued ballotsReturned candidates { name votes } }',
        sub: [
          { key: 'itemOrder', label: '议程序号', type: 'int' },
          { key: 'office', label: '职务', type: 'text' },
          { key: 'seats', label: '应选', type: 'int' },
          { key: 'method', label: '方式', type: 'enum', enum: 'ElectionMethod' },
          { key: 'ballotsIssued', label: '发出', type: 'int' },
          { key: 'ballotsReturned', label: '收回', type: 'int' },
          { key: 'candidates', label: '候选人', type: 'objects', sub: [{ key: 'name', label: '姓名', type: 'text' }, { key: 'votes', label: '得票', type: 'int' }] },
        ],
      },
      {
        key: 'resolutions', label: '决议', type: 'objects', sel: 'resolutions { itemOrder title text }',
        sub: [
          { key: 'itemOrder', label: '议程序号', type: 'int' },
          { key: 'title', label: '标题', type: 'text' },
          { key: 'text', label: '正文', type: 'textarea' },
        ],
      },
      { key: 'summary', label: '会议情况', type: 'textarea', sel: 'summary' },
      ...meta,
    ],
  },

  presidiumMeeting: {
    noun: '主席团会议', plural: 'presidiumMeetings', path: 'presidium-meetings', title: (r) => r.title,
    list: {
      sel: 'id title date { fullText } convener attendeeCount openDecisions session { title }',
      columns: [
        { prop: 'title', label: '会议', order: 'TITLE', minWidth: 240 },
        { label: '时间', value: (r) => r.date.fullText, order: 'DATE', width: 130 },
        { prop: 'convener', label: '主持', width: 100 },
        { prop: 'attendeeCount', label: '出席', width: 70 },
        { prop: 'openDecisions', label: '待落实', width: 80 },
        { label: '筹备的大会', value: (r) => (r.session ? r.session.title : ''), minWidth: 200 },
      ],
      filters: [
        { key: 'title', label: '名称', type: 'text', build: (v) => ({ title: { contains: v } }) },
        { key: 'year', label: '年度', type: 'year', build: (v) => ({ year: { eq: v } }) },
      ],
      defaultOrder: 'DATE',
      defaultDirection: 'DESC',
    },
    fields: [
      { key: 'title', label: '会议名称', type: 'text', sel: 'title', required: true },
      { key: 'date', label: '时间', type: 'span', sel: 'date { date precision text fullText }', required: true },
      { key: 'place', label: '地点', type: 'text', sel: 'place' },
      { key: 'convener', label: '主持人', type: 'text', sel: 'convener' },
      { key: 'attendees', input: 'attendeeIds', label: '出席', type: 'refs', ref: 'deputy', sel: 'attendees { id name }' },
      {
        key: 'otherAttendees', label: '列席', type: 'objects', sel: 'otherAttendees { name title }',
        sub: [{ key: 'name', label: '姓名', type: 'text' }, { key: 'title', label: '职务', type: 'text' }],
      },
      { key: 'topics', label: '议题', type: 'lines', sel: 'topics' },
      {
        key: 'decisions', label: '议定事项', type: 'objects', sel: 'decisions { text owner due done result }',
        sub: [
          { key: 'text', label: '事项', type: 'text' },
          { key: 'owner', label: '负责落实', type: 'text' },
          { key: 'due', label: '期限', type: 'date' },
          { key: 'done', label: '已落实', type: 'bool' },
          { key: 'result', label: '落实情况', type: 'text' },
        ],
      },
      { key: 'session', input: 'sessionId', label: '筹备的大会', type: 'ref', ref: 'session', sel: 'session { id title }' },
      { key: 'inspections', input: 'inspectionIds', label: '安排的视察', type: 'refs', ref: 'inspection', sel: 'inspections { id topic }' },
      { key: 'minutes', label: '纪要', type: 'textarea', sel: 'minutes' },
      ...meta,
    ],
  },

  livelihoodProject: {
    noun: '民生实事项目', plural: 'livelihoodProjects', path: 'livelihood-projects', title: (r) => r.name,
    list: {
      sel: 'id name year ownerDepartment investment votes adopted progress satisfaction { rate }',
      columns: [
        { prop: 'name', label: '项目', order: 'NAME', minWidth: 220 },
        { prop: 'year', label: '年度', order: 'YEAR', width: 80 },
        { prop: 'ownerDepartment', label: '责任单位', minWidth: 120 },
        { prop: 'investment', label: '投资（万元）', width: 110 },
        { prop: 'votes', label: '赞成票', order: 'VOTES', width: 90 },
        { label: '票决结果', value: (r) => (r.adopted ? '当选' : '未当选'), width: 90 },
        { label: '进度', value: (r) => `${r.progress}%`, order: 'PROGRESS', width: 80 },
        { label: '满意率', value: (r) => (r.satisfaction ? `${(r.satisfaction.rate * 100).toFixed(1)}%` : ''), width: 90 },
      ],
      filters: [
        { key: 'name', label: '名称', type: 'text', build: (v) => ({ name: { contains: v } }) },
        { key: 'year', label: '年度', type: 'year', build: (v) => ({ year: { eq: v } }) },
      ],
      defaultOrder: 'VOTES',
      defaultDirection: 'DESC',
    },
    fields: [
      { key: 'year', label: '年度', type: 'int', sel: 'year', required: true },
      { key: 'name', label: '项目名称', type: 'text', sel: 'name', required: true },
      { key: 'source', label: '来源', type: 'text', sel: 'source', placeholder: '群众征集、代表提出、政府提出' },
      { key: 'investment', label: '投资（万元）', type: 'float', sel: 'investment' },
      { key: 'ownerDepartment', label: '责任单位', type: 'text', sel: 'ownerDepartment' },
      { key: 'completionDate', label: '计划完成', type: 'span', sel: 'completionDate { date precision text fullText }' },
      { key: 'description', label: '项目内容', type: 'textarea', sel: 'description' },
      { key: 'session', input: 'sessionId', label: '票决的大会', type: 'ref', ref: 'session', sel: 'session { id title }' },
      {
        key: 'ballot', label: '票决', type: 'group', sel: 'ballot { method deputies candidates seats yes no abstain notVoting rank }',
        sub: [
          { key: 'method', label: '方式', type: 'enum', enum: 'LivelihoodBallotMethod' },
          { key: 'deputies', label: '全体代表', type: 'int' },
          { key: 'candidates', label: '候选项目数', type: 'int' },
          { key: 'seats', label: '应选项目数', type: 'int' },
          { key: 'yes', label: '赞成', type: 'int' },
          { key: 'no', label: '反对', type: 'int' },
          { key: 'abstain', label: '弃权', type: 'int' },
          { key: 'notVoting', label: '未投', type: 'int' },
          { key: 'rank', label: '得票名次', type: 'int' },
        ],
      },
      {
        key: 'milestones', label: '实施进度', type: 'objects',
        sel: 'milestones { date { date precision } title progress note inspections { id } projects { id } }',
        read: (ms) => ms.map((m) => ({ date: { date: m.date.date, precision: m.date.precision }, title: m.title, progress: m.progress, note: m.note ?? '',
          inspectionIds: m.inspections.map((x) => x.id), projectIds: m.projects.map((x) => x.id) })),
        sub: [
          { key: 'date', label: '时间', type: 'span' },
          { key: 'title', label: '节点', type: 'text' },
          { key: 'progress', label: '进度%', type: 'int' },
          { key: 'note', label: '说明', type: 'text' },
          { key: 'inspectionIds', label: '视察', type: 'refs', ref: 'inspection' },
          { key: 'projectIds', label: '项目', type: 'refs', ref: 'project' },
        ],
      },
      {
        key: 'satisfaction', label: '满意度测评', type: 'group', sel: 'satisfaction { session { id } satisfied basicallySatisfied dissatisfied }',
        read: (v) => ({ sessionId: v && v.session ? v.session.id : null, satisfied: v ? v.satisfied : null, basicallySatisfied: v ? v.basicallySatisfied : null, dissatisfied: v ? v.dissatisfied : null }),
        sub: [
          { key: 'sessionId', label: '测评的大会', type: 'ref', ref: 'session' },
          { key: 'satisfied', label: '满意', type: 'int' },
          { key: 'basicallySatisfied', label: '基本满意', type: 'int' },
          { key: 'dissatisfied', label: '不满意', type: 'int' },
        ],
      },
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

export const kindOrder = ['deputy', 'village', 'project', 'inspection', 'activity', 'suggestion', 'session', 'presidiumMeeting', 'livelihoodProject']

export function kindByPath(path) {
  return [...kindOrder, 'township'].find((k) => kinds[k].path === path)
}

// What a reference picker shows for a record of kind.
export const refs = {
  deputy: { plural: 'deputies', text: 'name', filter: (q) => ({ name: { contains: q } }), sel: 'id name group', describe: (r) => r.group || '', order: '[{field: NAME}]' },
  village: { plural: 'villages', text: 'name', filter: (q) => ({ name: { contains: q } }), sel: 'id name', describe: () => '', order: '[{field: NAME}]' },
  project: { plural: 'projects', text: 'name', filter: (q) => ({ name: { contains: q } }), sel: 'id name year', describe: (r) => `${r.year}年`, order: '[{field: NAME}]' },
  inspection: { plural: 'inspections', text: 'topic', filter: (q) => ({ topic: { contains: q } }), sel: 'id topic date { fullText }', describe: (r) => r.date.fullText, order: '[{field: DATE, direction: DESC}]' },
  presidiumMeeting: { type: 'PresidiumMeeting', plural: 'presidiumMeetings', text: 'title', filter: (q) => ({ title: { contains: q } }), sel: 'id title date { fullText }', describe: (r) => r.date.fullText, order: '[{field: DATE, direction: DESC}]' },
  session: { type: 'Session', plural: 'sessions', text: 'title', filter: (q) => (parseInt(q, 10) ? { year: { eq: parseInt(q, 10) } } : {}), sel: 'id title start', describe: (r) => r.start, order: '[{field: START, direction: DESC}]' },
  activity: { plural: 'activities', text: 'title', filter: (q) => ({ title: { contains: q } }), sel: 'id title date { fullText }', describe: (r) => r.date.fullText, order: '[{field: DATE, direction: DESC}]' },
}
