/**
 * Writes department records the way each department's own store does, for
 * tests whose workflows are read against the department (an objection, a
 * repair, a joint case must name a record the department holds). Each
 * function returns the record id the department publishes it under.
 */
import type { Queryable } from '../../lib/db';
import { writeCourtRecords } from '../../subgraphs/courts/store';
import { writeMarketRecords, type MarketRecords, type PenaltyRow } from '../../subgraphs/market/store';
import { writeEnvironmentRecords } from '../../subgraphs/environment/store';
import { addYears } from '../../subgraphs/credit/policy/calendar';

export interface DepartmentDatabases {
  market: Queryable;
  courts: Queryable;
  environment: Queryable;
}

let serial = 0;
const next = () => `${Date.now().toString(36)}${++serial}`;

const market = (db: Queryable, rows: Partial<MarketRecords>) =>
  writeMarketRecords(db as never, { registrations: [], licences: [], penalties: [], abnormalOperations: [], seriousViolations: [], spotChecks: [], ...rows });

/** A dishonest judgment debtor listed on `listedOn`. */
export async function courtDebtor(dbs: DepartmentDatabases, code: string, listedOn: string, caseNumber = `（2025）粤0305执${next()}号`): Promise<string> {
  await writeCourtRecords(dbs.courts as never, {
    dishonestDebtors: [{ subject_code: code, case_number: caseNumber, court: '深圳市南山区人民法院', basis_document: '判决书', obligation: '付款', performance_status: 'NOT_PERFORMED', dishonest_conduct: '拒不履行', listed_on: listedOn, removed_on: null }],
    consumptionRestrictions: [],
    enforcementCases: [],
  });
  return `dishonest_debtor/${code}/${caseNumber}`;
}

/** A market penalty published on `publishedOn` (decided five days before), in `area`. */
export async function marketPenalty(dbs: DepartmentDatabases, code: string, publishedOn: string, overrides: Partial<PenaltyRow> = {}): Promise<string> {
  const decisionNumber = overrides.decision_number ?? `深市监罚〔2025〕${next()}号`;
  const decided = new Date(`${publishedOn}T00:00:00Z`);
  decided.setUTCDate(decided.getUTCDate() - 5);
  await market(dbs.market, {
    penalties: [{
      subject_code: code, decision_number: decisionNumber, violation: '违法行为', content: '罚款', basis: '法', authority: '深圳市市场监督管理局', area: 'OTHER',
      serious: false, amount: 1000, decided_on: decided.toISOString().slice(0, 10), published_on: publishedOn, publication_ends_on: addYears(publishedOn, 1), ...overrides,
    }],
  });
  return `administrative_penalty/${decisionNumber}`;
}

export async function abnormalOperations(dbs: DepartmentDatabases, code: string, listedOn: string): Promise<string> {
  await market(dbs.market, { abnormalOperations: [{ subject_code: code, reason: '未按期公示年报', authority: '深圳市市场监督管理局', listed_on: listedOn, removed_on: null, removal_reason: null }] });
  return `abnormal_operations_entry/${code}/${listedOn}`;
}

export async function seriousViolation(dbs: DepartmentDatabases, code: string, listedOn: string): Promise<string> {
  await market(dbs.market, { seriousViolations: [{ subject_code: code, reason: '严重违法失信', authority: '深圳市市场监督管理局', listed_on: listedOn, removed_on: null }] });
  return `serious_violation_entry/${code}/${listedOn}`;
}

export async function environmentalPenalty(dbs: DepartmentDatabases, code: string, publishedOn: string, serious = true): Promise<string> {
  const decisionNumber = `深环罚〔2025〕${next()}号`;
  await writeEnvironmentRecords(dbs.environment as never, {
    creditRatings: [],
    dischargePermits: [],
    penalties: [{ subject_code: code, decision_number: decisionNumber, violation: '超标排放', content: '罚款', basis: '环境保护法', authority: '深圳市生态环境局', serious, amount: 100000, decided_on: publishedOn, published_on: publishedOn, publication_ends_on: addYears(publishedOn, 3) }],
  });
  return `environmental_penalty/${decisionNumber}`;
}
