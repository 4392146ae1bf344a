/**
 * The graph's refusals in the visitor's language: one place that turns an error's
 * `extensions.reason` (or, without one, its `extensions.code`) into Chinese, for every page that
 * shows a refusal. The English site shows the graph's own message, which says the same in more
 * detail. A reason this module does not know is said by its code, never in English on the
 * Chinese site.
 */
import { departmentName, valueName, type Locale } from '../lib/credit-report';
import { validateSubjectCode, type CodeValidation } from '../lib/identifiers';
import type { GraphError } from './graph';
import { word } from './i18n';

/** Whether the refused request read something or tried to change something: FORBIDDEN means "may not see" or "may not do". */
export type Attempt = 'read' | 'write';

type Extensions = NonNullable<GraphError['extensions']>;

/** The words for the input fields the graph names in `extensions.field`. */
const FIELDS: Record<string, string> = {
  recordId: '记录编号', sourceRecord: '依据记录编号', subjectCode: '主体代码', department: '部门', kind: '名单类别',
  since: '列入日期', until: '截止日期', from: '起始日期', to: '截止日期', note: '决定说明', reason: '理由', contact: '联系方式',
  rectification: '纠正失信行为', correction: '更正方式', outcome: '结论', purpose: '申请类别', conduct: '失信行为',
  idempotencyKey: '表单编号', corrects: '更正的版本', subject: '主体代码', code: '主体代码', month: '月份', first: '每页条数', after: '分页位置', checkId: '核查编号', deadline: '期限',
  measureCodes: '措施', trigger: '触发事由', scenario: '应用场景', action: '反馈结果',
};

const field = (ext: Extensions) => (typeof ext.field === 'string' ? (FIELDS[ext.field] ?? ext.field) : null);

/**
 * The field an error is about: `extensions.field`, else the last name of the path GraphQL's own
 * variable check gives in its message (`… at "input.kind"; …`), which carries no extensions.
 */
function fieldOf(error: GraphError): string | null {
  const named = field(error.extensions ?? {});
  if (named) return named;
  const at = /at "(?:[\w[\]]+\.)*(\w+)"/.exec(error.message)?.[1];
  return at ? (FIELDS[at] ?? at) : null;
}
const id = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/** An invalid subject code in Chinese, with what is wrong with it. */
export function invalidCodeText(input: string, validation: Extract<CodeValidation, { valid: false }> | null = null): string {
  const judged = validation ?? validateSubjectCode(input);
  if (judged.valid) return `代码 ${input} 无效`;
  switch (judged.reason) {
    case 'LENGTH':
      return `统一社会信用代码应为 18 位，“${input}”为 ${judged.length ?? Array.from(input.trim()).length} 位`;
    case 'CHARSET':
      return `统一社会信用代码“${input}”第 ${judged.position ?? '?'} 位的字符“${judged.character ?? ''}”不允许使用（代码不含 I、O、S、V、Z）`;
    case 'CHECKSUM':
      return `${judged.judgedAs === 'NATURAL_PERSON' ? '身份证号码' : '统一社会信用代码'}“${input}”的校验位错误：第 18 位为“${judged.character ?? ''}”，应为“${judged.expected ?? ''}”，请核对${judged.judgedAs === 'NATURAL_PERSON' ? '号码' : '代码'}`;
  }
}

/** Chinese texts by `extensions.reason`; each may use the error's other extensions for its detail. */
const BY_REASON: Record<string, (ext: Extensions, attempt: Attempt) => string> = {
  LENGTH: (ext) => invalidCodeText(id(ext.input)),
  CHARSET: (ext) => invalidCodeText(id(ext.input)),
  CHECKSUM: (ext) => invalidCodeText(id(ext.input)),
  OTHER_DEPARTMENT: (ext, attempt) =>
    `${ext.department ? `${departmentName(String(ext.department), 'zh')}的` : '本部门'}凭证只能${attempt === 'write' ? '办理' : '查看'}本部门的记录和事项`,
  NO_DEPARTMENT: () => '该部门凭证未登记所属部门，请由信用办重新登记',
  NOT_ALLOWED: (ext, attempt) =>
    ['fileOwnObjection', 'applyForOwnRepair', 'filing'].includes(id(ext.operation))
      ? '申请码无效：与该主体或申请类别不符，或已过期、已作废、已使用。请向信用办重新申领'
      : BY_CODE.FORBIDDEN!(attempt),
  NOT_YOUR_CHECK: () => '只有发起该核查的单位或实施其措施的部门可以办理',
  INVALID_TRANSITION: (ext) =>
    ext.objectionId ? `该记录已有正在核查的异议（编号 ${id(ext.objectionId)}），一次只核查一项异议`
      : ext.repairId ? `该记录已有待决定的修复申请（编号 ${id(ext.repairId)}）`
        : ext.status ? `该事项已办结（${statusName(id(ext.status))}），不能再次办理`
          : '当前状态不允许此操作：该事项已办结，或已有正在办理的申请',
  NOT_ELIGIBLE_YET: (ext) => `尚未到可申请信用修复的时间${ext.eligibleFrom ? `，${id(ext.eligibleFrom)} 起可以申请` : ''}`,
  IDEMPOTENCY_CONFLICT: () => '同一表单已提交过不同的内容：请重新打开页面后填写',
  NOT_FOUND: () => '未找到该编号的事项',
  MEASURE_NOT_APPLIED: () => '该措施不在本次核查或案件适用的措施之中',
  INVALID_INPUT: (ext) => `填写的内容不符合要求${field(ext) ? `：${field(ext)}` : ''}（不能为空，且不超过规定长度和可选范围）`,
  RECORD_MISMATCH: (ext) => `填写的${field(ext) ?? '记录信息'}与部门的记录不一致${ext.recordValue ? `（记录为 ${valueName(id(ext.recordValue), 'zh')}）` : ''}`,
  NOT_REPAIRABLE: () => '该记录不属于可以申请信用修复的类别',
  RECORD_NOT_FOUND: () => '该部门没有该主体的这条记录，请核对记录编号',
  RECORD_OF_ANOTHER_SUBJECT: () => '该部门没有该主体的这条记录，请核对记录编号',
  RECORD_WITHDRAWN: () => '该记录已被撤销、更正或已修复，无需再办理',
  RECORD_DISPUTED: (ext) => `该记录的异议正在核查中${ext.objectionId ? `（编号 ${id(ext.objectionId)}）` : ''}，请先办结异议`,
  RECORD_IN_FORCE: (ext) =>
    `依据的部门记录仍然有效${ext.recordUntil ? `（至 ${id(ext.recordUntil)}）` : ''}，名单认定随记录结束：记录由部门结束（移出、履行或公示期满）、信用修复获准或异议成立时自动移出，不能提前结束`,
  WEAKENS_CATALOGUE: () => '未发布：新版本的惩戒措施不得弱于现行版本（不得删除措施、降低强制性或缩短期限）',
  NOT_CORRECTABLE: () => '未发布：只能更正现行版本（且第一版不能更正），请核对“更正的版本”',
  NOT_REGISTERED: () => '未登记：各部门均无该主体的登记或记录，不出具信用报告',
  ALREADY_SUBMITTED: () => '该举报已提交过；回执当时已给出，超过时限后不再重复给出',
  DEADLINE_BEFORE_START: () => '整改期限不能早于开始日期',
  DEADLINE_PASSED: () => '整改期限不能早于今天',
  DEADLINE_TOO_FAR: () => '整改期限超过了允许的最长期限',
  NOT_IN_SAMPLE: () => '该主体不在本次抽查计划抽取的对象之中',
  RATIOS: () => '抽查比例未设置或不符合要求',
  THRESHOLD: () => '阈值应大于 0 且不超过 1',
  NESTING: () => '请求嵌套层数过多',
  RECORD_NOT_IN_FORCE: () => '该记录目前已不生效（已移出、已履行或已到期）',
  CHECK_ALREADY_USED: () => '该核查编号已用于另一项信用承诺',
  ALREADY_OPEN: () => '该记录已有正在办理的联合奖惩案件或整改通知',
  NOT_LISTED_BY_RULE: () => '该记录不符合列入该名单的认定标准',
  NO_LIST_RULE: () => '该记录不符合列入该名单的认定标准',
  RETROACTIVE_END: () => '截止日期不能早于今天',
  SINCE_TOO_EARLY: () => '列入日期不能早于依据记录的日期',
  SINCE_BEFORE_RECORD: (ext) => `日期不能早于${ext.recordSince ? ` ${id(ext.recordSince)}` : '依据记录的日期'}`,
  SINCE_IN_FUTURE: () => '日期不能晚于今天',
  DATE: (ext) => `${field(ext) ?? '日期'}格式不正确，应为“年-月-日”，如 2026-01-31`,
  PERIOD: () => '日期范围无效：起始日期晚于截止日期，或跨度超过允许范围',
  MONTH: () => '月份格式不正确，应为“年-月”，如 2026-01',
  PAGE_SIZE: () => '分页参数无效，请从第一页重新浏览',
  CURSOR: () => '分页位置无效，请从第一页重新浏览',
  INVALID_CURSOR: () => '分页位置无效，请从第一页重新浏览',
  FORMAT: () => '报告编号格式不正确',
  DIGEST: () => '文件摘要格式不正确',
  KIND: () => '该部门不公示此类决定',
  EMPTY: () => '请输入名称、部分名称或代码',
  TOO_LONG: (ext) => `输入过长${ext.limit ? `，最多 ${id(ext.limit)} 个字符` : ''}`,
  INVALID_STRING: () => '输入中含有无法保存的字符',
  INVALID_PURPOSE: () => '查询事由不符合要求：最多 500 个字符，不能含有制表符、换行等控制字符或文字方向控制符',
  PURPOSE_REQUIRED: () => '请填写查询事由（记入审计日志）',
  AUTH_FAILURES: () => '凭证核验失败次数过多，请稍后再试',
  PERSON_LOOKUPS: () => '查询自然人过于频繁，请稍后再试',
};

/** Chinese texts by `extensions.code`, for errors without a reason this module knows. */
const BY_CODE: Record<string, (attempt: Attempt) => string> = {
  FORBIDDEN: (attempt) => (attempt === 'write' ? '当前凭证无权执行此操作' : '当前凭证无权查看此项'),
  UNAUTHENTICATED: () => '凭证无效、已过期或已吊销',
  RATE_LIMITED: () => '请求过于频繁，请稍后再试',
  DEPARTMENT_UNAVAILABLE: () => '部分部门暂未响应，信息可能不完整',
  QUERY_TOO_COMPLEX: () => '请求的内容过多，请缩小范围后再试',
  GATEWAY_UNREACHABLE: () => '暂时无法连接信用信息平台，请稍后再试',
  SERVICE_UNAVAILABLE: () => '服务暂时不可用，请稍后再试',
  INTERNAL_SERVER_ERROR: () => '平台内部错误，请稍后再试',
  BAD_USER_INPUT: () => '输入有误，请检查后再试',
};

/** An objection's or repair application's status in words (the graph's OPEN, APPROVED, ...), as the filing pages say it. */
export const statusName = (status: string, locale: Locale = 'zh'): string => word(locale, `filing${status}`);

/** What the graph refused, in the visitor's language. */
export function refusalText(locale: Locale, error: GraphError, attempt: Attempt = 'read'): string {
  if (locale === 'en') return error.message;
  const ext = error.extensions ?? {};
  const byReason = ext.reason ? BY_REASON[ext.reason] : undefined;
  const byCode = ext.code ? BY_CODE[ext.code] : undefined;
  const named = fieldOf(error);
  // Without a text of its own, a refusal at least names the field it is about.
  const general = `${byCode ? byCode(attempt) : '请求未能完成'}${!byReason && named ? `：${named}` : ''}`;
  if (!byReason) return ext.reason ? `${general}（原因代码 ${ext.reason}）` : general;
  const text = byReason(ext, attempt);
  // A write the caller may not make says so first (not "may not see"), then why.
  return ext.code === 'FORBIDDEN' && attempt === 'write' && text !== general && !text.startsWith('申请码') ? `${general}：${text}` : text;
}

/** Every refusal of an answer, in the visitor's language, each once. */
export function refusalTexts(locale: Locale, errors: readonly GraphError[], attempt: Attempt = 'read'): string[] {
  return [...new Set(errors.map((error) => refusalText(locale, error, attempt)))];
}
