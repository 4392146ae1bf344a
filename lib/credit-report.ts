/**
 * What a subject's public credit information is made of, section by section: the one
 * definition behind both the website's subject page (web/) and the credit report PDF the credit
 * office issues (subgraphs/credit/report.ts), so the page and the report (公共信用信息报告,
 * 凌源 一(三); 柴桑 (三)) always show the same records with the same labels.
 *
 * REPORT_SELECTION is the GraphQL selection of those records on Subject: the website asks the
 * gateway for it, and the credit subgraph's `Subject.creditReport` @requires exactly it
 * (test/credit-report.test.ts compares the two), so the report holds what the caller may read.
 */

import { timeInChina, todayInChina } from './clock';
import { isNaturalPerson } from './identifiers';

export type Locale = 'zh' | 'en';

export const REPORT_SELECTION = `name
market {
  registration { name entityType legalRepresentative { name residentId } registeredCapital establishedOn status address businessScope registrationAuthority }
  licences { decisionNumber licenceName content authority decidedOn validFrom validUntil publishedOn }
  penalties { recordId decisionNumber violation content basis authority decidedOn publishedOn publicationEndsOn dispute { since verifyBy } }
  abnormalOperations { recordId reason authority listedOn removedOn removalReason dispute { since verifyBy } }
  seriousViolations { recordId reason authority listedOn removedOn dispute { since verifyBy } }
}
tax {
  creditRatings { recordId year level assessedOn taxAuthority dispute { since verifyBy } }
  majorViolations { recordId caseNumber nature facts taxAuthority decidedOn publishedOn removedOn dispute { since verifyBy } }
}
courts {
  dishonestDebtors { recordId caseNumber court basisDocument obligation performanceStatus dishonestConduct listedOn removedOn dispute { since verifyBy } }
  consumptionRestrictions { recordId caseNumber court restrictedPerson { name residentId } restrictions issuedOn liftedOn dispute { since verifyBy } }
}
environment {
  creditRatings { recordId year level authority assessedOn dispute { since verifyBy } }
  penalties { recordId decisionNumber violation content basis authority decidedOn publishedOn publicationEndsOn dispute { since verifyBy } }
}`;

type Day = string | null;
interface Person { name: string; residentId: string }
/** A department's record that an objection may dispute: its `dispute` is set while the objection is verified (柴桑 (二十一)). */
interface Disputable { recordId: string; dispute?: { since: string; verifyBy: string } | null }

/** The records of REPORT_SELECTION, as the graph answers them (a department that failed is null). */
export interface ReportRecords {
  name: string | null;
  market: {
    registration: {
      name: string; entityType: string; legalRepresentative: Person; registeredCapital: number | null; establishedOn: string;
      status: string; address: string; businessScope: string; registrationAuthority: string;
    } | null;
    licences: { decisionNumber: string; licenceName: string; content: string; authority: string; decidedOn: string; validFrom: string; validUntil: Day; publishedOn: Day }[];
    penalties: (Disputable & { decisionNumber: string; violation: string; content: string; basis: string; authority: string; decidedOn: string; publishedOn: Day; publicationEndsOn: Day })[];
    abnormalOperations: (Disputable & { reason: string; authority: string; listedOn: string; removedOn: Day; removalReason: string | null })[];
    seriousViolations: (Disputable & { reason: string; authority: string; listedOn: string; removedOn: Day })[];
  } | null;
  tax: {
    creditRatings: (Disputable & { year: number; level: string; assessedOn: string; taxAuthority: string })[];
    majorViolations: (Disputable & { caseNumber: string; nature: string; facts: string; taxAuthority: string; decidedOn: string; publishedOn: string; removedOn: Day })[];
  } | null;
  courts: {
    dishonestDebtors: (Disputable & { caseNumber: string; court: string; basisDocument: string; obligation: string; performanceStatus: string; dishonestConduct: string; listedOn: string; removedOn: Day })[];
    consumptionRestrictions: (Disputable & { caseNumber: string; court: string; restrictedPerson: Person | null; restrictions: string[]; issuedOn: string; liftedOn: Day })[];
  } | null;
  environment: {
    creditRatings: (Disputable & { year: number; level: string; authority: string; assessedOn: string })[];
    penalties: (Disputable & { decisionNumber: string; violation: string; content: string; basis: string; authority: string; decidedOn: string; publishedOn: Day; publicationEndsOn: Day })[];
  } | null;
}

export interface ReportListEntry { kind: string; reason: string; department: string; sourceRecord: string; since: string; until: Day; dispute?: Disputable['dispute'] }

/** The public notice of an approved credit repair (柴桑 (二十): 修复说明予以公示), as Subject.repairNotices answers it. */
export interface ReportRepairNotice { department: string; recordId: string; recordKind: string; repairedOn: string; rectification: string[]; publishedUntil: string }

/** The selection of Subject.repairNotices that the page and the report show. */
export const REPAIR_NOTICE_SELECTION = 'repairNotices { department recordId recordKind repairedOn rectification publishedUntil }';

/**
 * The tables whose records credit repair applies to (policy/repair.ts REPAIRABLE_RECORD_KINDS, as
 * subgraphs/credit/records.ts finds them): penalties of market supervision and of the
 * environment, the abnormal operations and serious illegal lists, a breached commitment. Tax
 * ratings and violations, dishonest debtors and consumption restrictions end by their own rules
 * (a rating is superseded, a debtor removed when the obligation is performed): no repair applies.
 */
const REPAIRABLE_TABLES = new Set(['administrative_penalty', 'environmental_penalty', 'abnormal_operations_entry', 'serious_violation_entry', 'credit_commitment']);

/** Whether the record a record id names (`<table>/<key>`) can be repaired, so the page offers its repair application. */
export const isRepairable = (recordId: string): boolean => REPAIRABLE_TABLES.has(recordId.split('/')[0]!);

/** What the credit office says about a record: an objection is being verified, or it was corrected or repaired. */
export type RecordMark = 'DISPUTED' | 'CORRECTED_OR_REPAIRED';

export interface ReportItem {
  title: string;
  /** The determining authority (作出决定的机关). */
  authority: string | null;
  /** The legal basis or basis document, where the record has one. */
  basis: string | null;
  fields: [label: string, value: string][];
  mark: RecordMark | null;
  /** A department's record (which an objection or a repair application names); absent for registration, licences, notices. */
  record?: { department: string; recordId: string; repairable: boolean };
}

export interface ReportSection {
  id: string;
  title: string;
  /** The department that provides the records. */
  department: string;
  items: ReportItem[];
  /** Shown instead of items: the department did not answer, or holds nothing. */
  note: string | null;
}

const DEPARTMENTS: Record<string, Record<Locale, string>> = {
  MARKET: { zh: '市场监管部门', en: 'Market supervision' },
  TAX: { zh: '税务部门', en: 'Taxation' },
  COURTS: { zh: '人民法院', en: "People's courts" },
  ENVIRONMENT: { zh: '生态环境部门', en: 'Ecology and environment' },
  CREDIT_OFFICE: { zh: '信用办', en: 'Credit office' },
};

/** Every enum value the records carry, in both languages. */
const VALUES: Record<string, Record<Locale, string>> = {
  ENTERPRISE: { zh: '企业', en: 'Enterprise' }, SOLE_TRADER: { zh: '个体工商户', en: 'Sole trader' },
  FARMERS_COOPERATIVE: { zh: '农民专业合作社', en: "Farmers' cooperative" }, SOCIAL_ORGANISATION: { zh: '社会组织', en: 'Social organisation' },
  OTHER: { zh: '其他', en: 'Other' },
  ACTIVE: { zh: '存续', en: 'Active' }, REVOKED: { zh: '吊销', en: 'Licence revoked' }, DEREGISTERED: { zh: '注销', en: 'Deregistered' },
  RED: { zh: '红名单', en: 'Red list' }, BLACK: { zh: '黑名单', en: 'Black list' }, KEY_ATTENTION: { zh: '重点关注名单', en: 'Key-attention list' },
  TAX_EVASION: { zh: '偷税', en: 'Tax evasion' }, TAX_ARREARS_EVASION: { zh: '逃避追缴欠税', en: 'Evading recovery of arrears' },
  TAX_FRAUD: { zh: '骗税', en: 'Tax fraud' }, FRAUDULENT_EXPORT_REFUND: { zh: '骗取出口退税', en: 'Fraudulent export refund' },
  FALSE_INVOICING: { zh: '虚开发票', en: 'False invoicing' }, TAX_RESISTANCE: { zh: '抗税', en: 'Tax resistance' },
  NOT_PERFORMED: { zh: '全部未履行', en: 'Not performed' }, PARTIALLY_PERFORMED: { zh: '部分履行', en: 'Partially performed' },
  PERFORMED: { zh: '已履行', en: 'Performed' },
  FLIGHTS: { zh: '乘坐飞机', en: 'Flights' }, FIRST_CLASS_RAIL: { zh: '乘坐高铁一等座以上', en: 'First-class rail' },
  STAR_HOTELS: { zh: '星级以上宾馆', en: 'Star hotels' }, PROPERTY_PURCHASE: { zh: '购买不动产', en: 'Property purchase' },
  LUXURY_TRAVEL: { zh: '旅游度假', en: 'Luxury travel' }, PRIVATE_SCHOOL_FEES: { zh: '子女就读高收费私立学校', en: 'Private school fees' },
  GREEN: { zh: '环保诚信（绿牌）', en: 'Trustworthy (green)' }, BLUE: { zh: '环保良好（蓝牌）', en: 'Good (blue)' },
  YELLOW: { zh: '环保警示（黄牌）', en: 'Warning (yellow)' }, BLACK_RATING: { zh: '环保严重失信（黑牌）', en: 'Seriously dishonest (black)' },
  RED_RATING: { zh: '环保不良（红牌）', en: 'Bad (red)' },
  ADMINISTRATIVE_PENALTY: { zh: '行政处罚', en: 'Administrative penalty' }, SERIOUS_PENALTY: { zh: '严重失信行政处罚', en: 'Serious penalty' },
  ABNORMAL_OPERATIONS: { zh: '经营异常名录', en: 'Abnormal operations list' }, SERIOUS_VIOLATION_LIST: { zh: '严重违法失信名单', en: 'Serious violation list' },
  COMMITMENT_BREACH: { zh: '违背信用承诺', en: 'Commitment breach' },
  COMMITMENT: { zh: '作出信用承诺', en: 'Credit commitment' }, RECTIFICATION: { zh: '完成整改', en: 'Rectification' },
  TRAINING: { zh: '参加信用修复培训', en: 'Credit training' }, REPORT: { zh: '提交信用报告', en: 'Credit report' },
  PUBLIC_SERVICE: { zh: '参加公益慈善活动', en: 'Public-interest service' },
  PUBLIC_RESOURCE_TRADING: { zh: '公共资源交易（招标投标、政府采购）', en: 'Public-resource trading (bidding, procurement)' },
  ADMINISTRATIVE_LICENSING: { zh: '行政审批', en: 'Administrative licensing' },
  FINANCIAL_SERVICES: { zh: '金融服务', en: 'Financial services' },
  FISCAL_SUPPORT: { zh: '财政资金支持', en: 'Fiscal support' },
  HONORS_AND_AWARDS: { zh: '评优评先', en: 'Honours and awards' },
  REGULATORY_INSPECTION: { zh: '监管检查', en: 'Regulatory inspection' },
  KEPT: { zh: '履行中', en: 'In force' }, FULFILLED: { zh: '已履行', en: 'Fulfilled' }, BREACHED: { zh: '已违背', en: 'Breached' },
  COMPLIANT: { zh: '未发现问题', en: 'No problem found' }, ISSUES_FOUND: { zh: '发现问题', en: 'Problems found' },
  NOT_LOCATED: { zh: '查无下落', en: 'Not found at its address' },
  RECEIVED: { zh: '已受理', en: 'Received' }, ROUTED: { zh: '已转交主管部门核查', en: 'Routed to the competent department' },
  CLOSED: { zh: '已办结', en: 'Closed' },
  SUBSTANTIATED: { zh: '查证属实', en: 'Substantiated' }, NOT_SUBSTANTIATED: { zh: '查无实据', en: 'Not substantiated' },
  // The triggers of measures and joint cases, their assignments and feedback, and the catalogue's kinds (the console shows them).
  DISHONEST_JUDGMENT_DEBTOR: { zh: '失信被执行人', en: 'Dishonest judgment debtor' }, CONSUMPTION_RESTRICTION: { zh: '限制消费令', en: 'Consumption restriction' },
  MAJOR_TAX_VIOLATION: { zh: '重大税收违法失信', en: 'Major tax violation' }, TAX_RATING_D: { zh: '纳税信用D级', en: 'Tax rating D' },
  TAX_ARREARS: { zh: '欠税公告', en: 'Tax arrears' }, ENVIRONMENTAL_RATING_BLACK: { zh: '环保严重失信（黑牌）', en: 'Environmental rating black' },
  ENVIRONMENTAL_RATING_RED: { zh: '环保不良（红牌）', en: 'Environmental rating red' }, RECTIFICATION_OVERDUE: { zh: '逾期未整改', en: 'Rectification overdue' },
  REPRESENTS_BLACKLISTED_ENTITY: { zh: '黑名单主体的法定代表人', en: 'Represents a black-listed entity' }, TAX_RATING_A: { zh: '纳税信用A级', en: 'Tax rating A' },
  ENVIRONMENTAL_RATING_GREEN: { zh: '环保诚信（绿牌）', en: 'Environmental rating green' }, CONTRACT_HONOURING: { zh: '守合同重信用企业', en: 'Contract-honouring enterprise' },
  NO_ADVERSE_RECORD_3_YEARS: { zh: '连续三年无不良记录', en: 'No adverse record for three years' },
  AWAITING_FEEDBACK: { zh: '待反馈', en: 'Awaiting feedback' }, FED_BACK: { zh: '已反馈', en: 'Fed back' }, WITHDRAWN: { zh: '已撤回', en: 'Withdrawn' },
  APPLIED: { zh: '已实施', en: 'Applied' }, NOT_APPLIED: { zh: '未实施', en: 'Not applied' }, PARTIALLY_APPLIED: { zh: '部分实施', en: 'Partially applied' },
  PUNISHMENT: { zh: '惩戒措施', en: 'Punishment' }, INCENTIVE: { zh: '激励措施', en: 'Incentive' },
};

/** The roles of the graph's callers in words (a report says whose view it shows). */
const ROLES: Record<string, Record<Locale, string>> = {
  PUBLIC: { zh: '社会公众', en: 'the public' }, APPROVAL_SYSTEM: { zh: '行政审批系统', en: 'approval systems' },
  TRADING_PLATFORM: { zh: '公共资源交易平台', en: 'trading platforms' }, FINANCIAL_INSTITUTION: { zh: '金融机构', en: 'financial institutions' },
  DEPARTMENT: { zh: '政府部门', en: 'departments' }, CREDIT_OFFICE: { zh: '信用办', en: 'the credit office' }, DEVELOPER: { zh: '开发者', en: 'developers' },
};

/** A caller role in words; an unknown role as it is. */
export function roleName(role: string, locale: Locale): string {
  return ROLES[role]?.[locale] ?? role;
}

const LABELS = {
  registration: { zh: '登记信息', en: 'Registration' },
  lists: { zh: '红黑名单及重点关注名单', en: 'Red, black and key-attention lists' },
  licences: { zh: '行政许可', en: 'Administrative licences' },
  penalties: { zh: '行政处罚', en: 'Administrative penalties' },
  abnormal: { zh: '经营异常名录', en: 'Abnormal operations list' },
  serious: { zh: '严重违法失信名单', en: 'Serious illegal and dishonest list' },
  taxRatings: { zh: '纳税信用等级', en: 'Tax credit ratings' },
  taxViolations: { zh: '重大税收违法失信案件', en: 'Major tax violation cases' },
  debtors: { zh: '失信被执行人', en: 'Dishonest judgment debtors' },
  restrictions: { zh: '限制消费令', en: 'Consumption restriction orders' },
  envRatings: { zh: '企业环境信用评价', en: 'Environmental credit ratings' },
  envPenalties: { zh: '环境行政处罚', en: 'Environmental penalties' },
  name: { zh: '名称', en: 'Name' }, entityType: { zh: '主体类型', en: 'Entity type' },
  legalRep: { zh: '法定代表人', en: 'Legal representative' }, capital: { zh: '注册资本（万元）', en: 'Registered capital (10,000 yuan)' },
  established: { zh: '成立日期', en: 'Established' }, status: { zh: '登记状态', en: 'Status' }, address: { zh: '住所', en: 'Address' },
  scope: { zh: '经营范围', en: 'Business scope' }, decisionNumber: { zh: '决定文书号', en: 'Decision number' },
  content: { zh: '内容', en: 'Content' }, decidedOn: { zh: '决定日期', en: 'Decided on' }, publishedOn: { zh: '公示日期', en: 'Published on' },
  valid: { zh: '有效期', en: 'Valid' }, violation: { zh: '违法行为', en: 'Violation' }, publicationEnds: { zh: '公示截止', en: 'Publication ends' },
  reason: { zh: '列入原因', en: 'Reason' }, listedOn: { zh: '列入日期', en: 'Listed on' }, removedOn: { zh: '移出日期', en: 'Removed on' },
  removalReason: { zh: '移出原因', en: 'Removal reason' }, level: { zh: '等级', en: 'Level' }, assessedOn: { zh: '评定日期', en: 'Assessed on' },
  caseNumber: { zh: '案号', en: 'Case number' }, nature: { zh: '案件性质', en: 'Nature' }, facts: { zh: '主要违法事实', en: 'Facts' },
  obligation: { zh: '生效法律文书确定的义务', en: 'Obligation' }, performance: { zh: '履行情况', en: 'Performance' },
  conduct: { zh: '失信行为', en: 'Dishonest conduct' }, person: { zh: '限制对象', en: 'Restricted person' },
  restricted: { zh: '限制事项', en: 'Restrictions' }, issuedOn: { zh: '发布日期', en: 'Issued on' }, liftedOn: { zh: '解除日期', en: 'Lifted on' },
  kind: { zh: '名单', en: 'List' }, since: { zh: '起始日期', en: 'Since' }, until: { zh: '移出日期（当日起不再列入）', en: 'Leaves the list on' },
  sourceRecord: { zh: '依据记录', en: 'Source record' }, year: { zh: '年度', en: 'Year' },
  none: { zh: '无记录', en: 'No records' },
  ended: { zh: '已移出', en: 'ended' },
  disputed: { zh: '异议核查期间', en: 'Disputed, verification period' },
  repairNotices: { zh: '信用修复公示', en: 'Credit repair notices' },
  repairedOn: { zh: '修复日期', en: 'Repaired on' }, rectification: { zh: '纠正失信行为', en: 'Rectification' },
  noticeUntil: { zh: '公示截止', en: 'Notice until' },
  unavailable: { zh: '该部门暂未响应，本部分信息不完整', en: 'The department did not answer: this part is incomplete' },
  open: { zh: '至今', en: 'open-ended' },
  untilOpen: { zh: '未确定（持续列入）', en: 'none set (open-ended)' },
  beijingTime: { zh: '（北京时间）', en: ' (Beijing time)' },
  uscc: { zh: '统一社会信用代码', en: 'Unified social credit code' },
  residentId: { zh: '公民身份号码', en: 'Resident identity number' },
  naturalPerson: { zh: '自然人（姓名不予公示）', en: 'Natural person (name not published)' },
  unregisteredName: { zh: '（无登记名称）', en: '(no registered name)' },
} satisfies Record<string, Record<Locale, string>>;

export type LabelKey = keyof typeof LABELS;

export function label(key: LabelKey, locale: Locale): string {
  return LABELS[key][locale];
}

/**
 * How the page and the report name a subject: its name as the graph gives it (a person's masked),
 * else a natural person as such (no name of a person is public) or an organisation without one;
 * and its code under the code's own label (公民身份号码 for a person).
 */
export function subjectLabels(code: string, name: string | null, locale: Locale): { name: string; codeLabel: string } {
  const person = isNaturalPerson(code) || code.includes('*'); // a person's number masked by the graph
  return {
    name: name ?? label(person ? 'naturalPerson' : 'unregisteredName', locale),
    codeLabel: label(person ? 'residentId' : 'uscc', locale),
  };
}

/**
 * Whether a list entry is in force on `today`: from `since` up to the day before `until` (an entry
 * ending on a day no longer applies that day), as the graph's listEntries and the checks count it
 * (subgraphs/credit/policy/lists.ts entryInForce).
 */
export const listEntryInForce = (entry: { since: string; until: string | null }, today: string): boolean =>
  entry.since <= today && (entry.until === null || entry.until > today);

/**
 * The entries the public page and a public report show: those in force. An ended entry is not
 * published, as the department no longer publishes the record it stood on (a removed debtor, an
 * ended listing: lib/disclosure.ts); callers who read all records see the history.
 */
export function publishedListEntries<E extends { since: string; until: string | null }>(entries: readonly E[], today: string = todayInChina()): E[] {
  return entries.filter((entry) => listEntryInForce(entry, today));
}

/** Whether the records hold anything of the subject: a registration or any record of any department. */
export function holdsAnyRecord(records: ReportRecords): boolean {
  const { market, tax, courts, environment } = records;
  const rows = [
    market?.licences, market?.penalties, market?.abnormalOperations, market?.seriousViolations,
    tax?.creditRatings, tax?.majorViolations, courts?.dishonestDebtors, courts?.consumptionRestrictions,
    environment?.creditRatings, environment?.penalties,
  ];
  return !!market?.registration || rows.some((list) => (list?.length ?? 0) > 0);
}

/** What a report held, section by section, as registered when it was issued (for its verification page). */
/** An entry of a report as registered at issue: everything printed of it, so a paper copy can be compared line by line. */
export interface ReportContentEntry {
  title: string;
  mark: RecordMark | null;
  authority?: string | null;
  basis?: string | null;
  fields?: [label: string, value: string][];
  record?: { department: string; recordId: string } | null;
}

export interface ReportContent {
  sections: { id: string; title: string; department: string; note: string | null; entries: ReportContentEntry[] }[];
}

/**
 * What a report registers of its sections: each entry's heading, authority, basis and every printed
 * field (status, dates, amounts), and the record it stands on (found by a black-box review: with the
 * headings alone, a copy edited from 吊销 to 存续, or with its list entry's end moved, matched).
 */
export function reportContent(sections: readonly ReportSection[]): ReportContent {
  return {
    sections: sections.map((section) => ({
      id: section.id,
      title: section.title,
      department: section.department,
      note: section.note,
      entries: section.items.map((item) => ({
        title: item.title,
        mark: item.mark,
        authority: item.authority,
        basis: item.basis,
        fields: item.fields,
        record: item.record ? { department: item.record.department, recordId: item.record.recordId } : null,
      })),
    })),
  };
}

/** A time the graph answers (ISO-8601) as the page and the report write it: Beijing time, one format. */
export function beijingTime(instant: string, locale: Locale): string {
  return `${timeInChina(instant)}${label('beijingTime', locale)}`;
}

export function departmentName(department: string, locale: Locale): string {
  return DEPARTMENTS[department]?.[locale] ?? department;
}

/** An enum value in words; an unknown value is shown as it is rather than hidden. */
export function valueName(value: string, locale: Locale): string {
  return VALUES[value]?.[locale] ?? value;
}

// Environmental RED and BLACK ratings share their names with the lists' RED and BLACK.
const envLevel = (level: string, locale: Locale) => valueName(level === 'RED' || level === 'BLACK' ? `${level}_RATING` : level, locale);

const period = (from: string, to: Day, locale: Locale) => `${from} – ${to ?? label('open', locale)}`;

/**
 * The sections of a subject's public credit information, in the order of the report. `marks`
 * (record id → mark) comes from the credit office; records without an id are never marked.
 */
export function reportSections(
  records: ReportRecords,
  lists: readonly ReportListEntry[],
  locale: Locale,
  marks: ReadonlyMap<string, RecordMark> = new Map(),
  repairNotices: readonly ReportRepairNotice[] = [],
): ReportSection[] {
  const L = (key: LabelKey) => label(key, locale);
  // Disputed while the department verifies (the record's own `dispute`, 柴桑 (二十一): 作出存在异议的标注),
  // or what the credit office's register says of it.
  const markOf = (row: Disputable): RecordMark | null => (row.dispute ? 'DISPUTED' : (marks.get(row.recordId) ?? null));
  /** A department's record as an item: its mark, and while disputed the dates of the verification. */
  const record = (department: string, row: Disputable, item: Omit<ReportItem, 'mark' | 'record'>): ReportItem => ({
    ...item,
    record: { department, recordId: row.recordId, repairable: isRepairable(row.recordId) },
    mark: markOf(row),
    fields: row.dispute ? [...item.fields, [L('disputed'), `${row.dispute.since} – ${row.dispute.verifyBy}`]] : item.fields,
  });
  const section = <T>(id: string, title: LabelKey, department: string, rows: readonly T[] | null | undefined, item: (row: T) => ReportItem): ReportSection => ({
    id,
    title: L(title),
    department: departmentName(department, locale),
    items: (rows ?? []).map(item),
    note: rows === null || rows === undefined ? L('unavailable') : rows.length === 0 ? L('none') : null,
  });
  const { market, tax, courts, environment } = records;
  const registration = market?.registration;
  const today = todayInChina();
  return [
    {
      id: 'registration',
      title: L('registration'),
      department: departmentName('MARKET', locale),
      items: registration
        ? [{
            title: registration.name,
            authority: registration.registrationAuthority,
            basis: null,
            mark: null,
            fields: [
              [L('entityType'), valueName(registration.entityType, locale)],
              [L('legalRep'), `${registration.legalRepresentative.name}（${registration.legalRepresentative.residentId}）`],
              [L('capital'), registration.registeredCapital === null ? '—' : String(registration.registeredCapital)],
              [L('established'), registration.establishedOn],
              [L('status'), valueName(registration.status, locale)],
              [L('address'), registration.address],
              [L('scope'), registration.businessScope],
            ],
          }]
        : [],
      note: market === null ? L('unavailable') : registration ? null : L('none'),
    },
    section('lists', 'lists', 'CREDIT_OFFICE', lists, (e) => {
      const item = record(e.department, { recordId: e.sourceRecord, dispute: e.dispute }, {
        title: `${valueName(e.kind, locale)}：${e.reason}`,
        authority: departmentName(e.department, locale),
        basis: null,
        fields: [[L('sourceRecord'), e.sourceRecord], [L('since'), e.since], [L('until'), e.until ?? L('untilOpen')]],
      });
      // An ended entry is history (the subject has left the list): said so, and nothing left to object to or repair.
      return e.until !== null && e.until <= today ? { ...item, title: `${item.title}（${L('ended')}）`, record: undefined } : item;
    }),
    // Only while one is in publication: a subject with no repair has nothing to announce.
    ...(repairNotices.length > 0 ? [section('repairNotices', 'repairNotices', 'CREDIT_OFFICE', repairNotices, (n) => ({
      title: `${departmentName(n.department, locale)}：${valueName(n.recordKind, locale)}`,
      authority: departmentName(n.department, locale),
      basis: null,
      mark: null,
      fields: [
        [L('sourceRecord'), n.recordId],
        [L('repairedOn'), n.repairedOn],
        [L('rectification'), n.rectification.map((step) => valueName(step, locale)).join('、')],
        [L('noticeUntil'), n.publishedUntil],
      ],
    }))] : []),
    section('licences', 'licences', 'MARKET', market && market.licences, (l) => ({
      title: l.licenceName,
      authority: l.authority,
      basis: null,
      mark: null,
      fields: [[L('decisionNumber'), l.decisionNumber], [L('content'), l.content], [L('decidedOn'), l.decidedOn], [L('publishedOn'), l.publishedOn ?? '—'], [L('valid'), period(l.validFrom, l.validUntil, locale)]],
    })),
    section('penalties', 'penalties', 'MARKET', market && market.penalties, (p) => record('MARKET', p, penaltyItem(p, locale))),
    section('abnormal', 'abnormal', 'MARKET', market && market.abnormalOperations, (a) => record('MARKET', a, {
      title: a.reason,
      authority: a.authority,
      basis: null,
      fields: [[L('listedOn'), a.listedOn], [L('removedOn'), a.removedOn ?? '—'], ...(a.removalReason ? [[L('removalReason'), a.removalReason] as [string, string]] : [])],
    })),
    section('serious', 'serious', 'MARKET', market && market.seriousViolations, (s) => record('MARKET', s, {
      title: s.reason,
      authority: s.authority,
      basis: null,
      fields: [[L('listedOn'), s.listedOn], [L('removedOn'), s.removedOn ?? '—']],
    })),
    section('taxRatings', 'taxRatings', 'TAX', tax && tax.creditRatings, (r) => record('TAX', r, {
      title: `${r.year}：${r.level}`,
      authority: r.taxAuthority,
      basis: null,
      fields: [[L('assessedOn'), r.assessedOn]],
    })),
    section('taxViolations', 'taxViolations', 'TAX', tax && tax.majorViolations, (v) => record('TAX', v, {
      title: `${valueName(v.nature, locale)}（${v.caseNumber}）`,
      authority: v.taxAuthority,
      basis: null,
      fields: [[L('facts'), v.facts], [L('decidedOn'), v.decidedOn], [L('publishedOn'), v.publishedOn], [L('removedOn'), v.removedOn ?? '—']],
    })),
    section('debtors', 'debtors', 'COURTS', courts && courts.dishonestDebtors, (d) => record('COURTS', d, {
      title: d.caseNumber,
      authority: d.court,
      basis: d.basisDocument,
      fields: [[L('obligation'), d.obligation], [L('performance'), valueName(d.performanceStatus, locale)], [L('conduct'), d.dishonestConduct], [L('listedOn'), d.listedOn], [L('removedOn'), d.removedOn ?? '—']],
    })),
    section('restrictions', 'restrictions', 'COURTS', courts && courts.consumptionRestrictions, (c) => record('COURTS', c, {
      title: c.caseNumber,
      authority: c.court,
      basis: null,
      fields: [
        ...(c.restrictedPerson ? [[L('person'), `${c.restrictedPerson.name}（${c.restrictedPerson.residentId}）`] as [string, string]] : []),
        [L('restricted'), c.restrictions.map((r) => valueName(r, locale)).join('、')],
        [L('issuedOn'), c.issuedOn],
        [L('liftedOn'), c.liftedOn ?? '—'],
      ],
    })),
    section('envRatings', 'envRatings', 'ENVIRONMENT', environment && environment.creditRatings, (r) => record('ENVIRONMENT', r, {
      title: `${r.year}：${envLevel(r.level, locale)}`,
      authority: r.authority,
      basis: null,
      fields: [[L('assessedOn'), r.assessedOn]],
    })),
    section('envPenalties', 'envPenalties', 'ENVIRONMENT', environment && environment.penalties, (p) => record('ENVIRONMENT', p, penaltyItem(p, locale))),
  ];
}

function penaltyItem(
  p: { decisionNumber: string; violation: string; content: string; basis: string; authority: string; decidedOn: string; publishedOn: Day; publicationEndsOn: Day },
  locale: Locale,
): Omit<ReportItem, 'mark' | 'record'> {
  const L = (key: LabelKey) => label(key, locale);
  return {
    title: p.decisionNumber,
    authority: p.authority,
    basis: p.basis,
    fields: [[L('violation'), p.violation], [L('content'), p.content], [L('decidedOn'), p.decidedOn], [L('publishedOn'), p.publishedOn ?? '—'], [L('publicationEnds'), p.publicationEndsOn ?? '—']],
  };
}

/** Record ids the credit office may hold marks for (objections, repairs), for one lookup. */
export function markableRecords(records: ReportRecords): { department: string; recordId: string }[] {
  const ids = (department: string, rows: readonly { recordId: string }[] | undefined) => (rows ?? []).map((row) => ({ department, recordId: row.recordId }));
  return [
    ...ids('MARKET', records.market?.penalties), ...ids('MARKET', records.market?.abnormalOperations), ...ids('MARKET', records.market?.seriousViolations),
    ...ids('TAX', records.tax?.creditRatings), ...ids('TAX', records.tax?.majorViolations),
    ...ids('COURTS', records.courts?.dishonestDebtors), ...ids('COURTS', records.courts?.consumptionRestrictions),
    ...ids('ENVIRONMENT', records.environment?.creditRatings), ...ids('ENVIRONMENT', records.environment?.penalties),
  ];
}

/** A report number: R, the issue date in China (yyyymmdd), and 12 random characters of the USCC alphabet. */
export const REPORT_NUMBER = /^R\d{8}[0-9A-HJ-NP-RTUWXY]{12}$/;
