/** Market supervision rows: registration, licences, penalties, the abnormal operations and serious lists, spot checks. */
import type { MarketRecords, RegistrationRow } from '../../subgraphs/market/store';
import { addWorkingDays, addYears, yearOf } from './dates';
import type { SeedPlan, SubjectPlan } from './plan';
import { authorities, BuildContext, decisionNumber, iso, isoOrNull, penaltyPublication, period } from './records';
import {
  ABNORMAL_REASONS,
  ABNORMAL_REMOVAL_REASONS,
  LICENCES,
  MARKET_VIOLATIONS,
  SERIOUS_LIST_REASONS,
  SERIOUS_VIA_ABNORMAL,
  SPOT_CHECK_MATTERS,
} from './vocabulary';

const YEAR = 365;

const SCOPES: Record<Exclude<RegistrationRow['entity_type'], 'ENTERPRISE' | 'OTHER'>, string> = {
  SOLE_TRADER: '日用百货零售；小餐饮；日常生活服务',
  FARMERS_COOPERATIVE: '组织成员种植、养殖；农产品收购、销售；农业技术培训',
  SOCIAL_ORGANISATION: '行业交流、业务培训、咨询服务、公益活动',
};

export function createMarketBuilder(plan: SeedPlan): (subjects: readonly SubjectPlan[]) => MarketRecords {
  const context = new BuildContext(plan, 'market');
  return (subjects) => {
    const records: MarketRecords = { registrations: [], licences: [], penalties: [], abnormalOperations: [], seriousViolations: [], spotChecks: [] };
    for (const subject of subjects) {
      // Natural persons are not registered with market supervision.
      if (subject.kind !== 'NATURAL_PERSON') buildSubject(context, subject, records);
    }
    return records;
  };
}

function buildSubject(context: BuildContext, subject: SubjectPlan, records: MarketRecords): void {
  const { random } = context;
  const { code, division, market } = subject;
  const window = context.window(subject);
  const authority = authorities.market(division);

  const seriousListed = market.seriousList === 'CURRENT' && !market.seriousViaAbnormal;
  records.registrations.push({
    subject_code: code,
    name: subject.name,
    entity_type: subject.kind,
    legal_rep_name: subject.representative.name,
    legal_rep_id: subject.representative.residentId,
    registered_capital: registeredCapital(context, subject),
    established_on: iso(subject.establishedOn),
    // A business licence revoked for fraud is a common way onto the serious list.
    status: seriousListed && random.chance(0.4) ? 'REVOKED' : 'ACTIVE',
    address: `${division.city}${division.district}${random.pick(division.streets)}${random.int(1, 999)}号`,
    business_scope: subject.industry?.scope ?? SCOPES[subject.kind as keyof typeof SCOPES] ?? '',
    registration_authority: subject.kind === 'SOCIAL_ORGANISATION' ? authorities.civilAffairs(division) : authority,
  });

  for (let i = 0; i < market.licences; i++) {
    const licence = random.pick(LICENCES);
    const decided = random.int(window.earliest, window.latest);
    records.licences.push({
      subject_code: code,
      decision_number: decisionNumber(division, '市监许', yearOf(decided), context.nextSerial()),
      licence_name: licence.name,
      content: licence.content,
      authority,
      decided_on: iso(decided),
      valid_from: iso(decided),
      valid_until: iso(addYears(decided, 5) - 1),
      published_on: iso(Math.min(addWorkingDays(decided, random.int(1, 7)), context.latest)),
    });
  }

  if (market.penalty !== 'NONE') {
    const violation = random.pick(MARKET_VIOLATIONS);
    const dates = penaltyPublication(random, window, market.penalty, market.seriousPenalty);
    const amount = market.seriousPenalty ? random.amount(100_000, 2_000_000, 1_000) : random.amount(2_000, 50_000, 500);
    records.penalties.push({
      subject_code: code,
      decision_number: decisionNumber(division, '市监罚', yearOf(dates.decided), context.nextSerial()),
      violation: violation.violation,
      content: market.seriousPenalty ? `罚款${amount}元，没收违法所得，责令停产停业整顿` : `警告，罚款${amount}元`,
      basis: violation.basis,
      authority,
      area: violation.area,
      serious: market.seriousPenalty,
      amount,
      decided_on: iso(dates.decided),
      published_on: iso(dates.published),
      publication_ends_on: iso(dates.publicationEnds),
    });
  }

  if (market.seriousViaAbnormal) {
    // Three years on the abnormal operations list without correcting: moved to the serious list.
    const listed = random.int(window.earliest, Math.max(window.earliest, addYears(context.reference, -3) - 31));
    const moved = Math.min(addYears(listed, 3) + random.int(1, 30), context.latest);
    records.abnormalOperations.push({
      subject_code: code,
      reason: ABNORMAL_REASONS[0]!,
      authority,
      listed_on: iso(listed),
      removed_on: null,
      removal_reason: null,
    });
    records.seriousViolations.push({ subject_code: code, reason: SERIOUS_VIA_ABNORMAL, authority, listed_on: iso(moved), removed_on: null });
  } else {
    if (market.abnormal !== 'NONE') {
      const listing = period(random, window, market.abnormal, 30, 3 * YEAR);
      records.abnormalOperations.push({
        subject_code: code,
        reason: random.pick(ABNORMAL_REASONS),
        authority,
        listed_on: iso(listing.start),
        removed_on: isoOrNull(listing.end),
        removal_reason: listing.end === null ? null : random.pick(ABNORMAL_REMOVAL_REASONS),
      });
    }
    if (market.seriousList !== 'NONE') {
      // Removal comes after three years without new violations, or earlier through credit repair.
      const listing = period(random, window, market.seriousList, YEAR, 3 * YEAR + 60);
      records.seriousViolations.push({
        subject_code: code,
        reason: random.pick(SERIOUS_LIST_REASONS),
        authority,
        listed_on: iso(listing.start),
        removed_on: isoOrNull(listing.end),
      });
    }
  }

  for (let i = 0; i < market.spotChecks; i++) {
    const outcome = market.abnormal === 'CURRENT' ? 'NOT_FOUND_AT_ADDRESS' : random.chance(0.88) ? 'NO_PROBLEM' : 'PROBLEM_FOUND';
    records.spotChecks.push({
      subject_code: code,
      matter: random.pick(SPOT_CHECK_MATTERS),
      authority,
      checked_on: iso(random.int(window.earliest, window.latest)),
      outcome,
    });
  }
}

function registeredCapital(context: BuildContext, subject: SubjectPlan): number | null {
  const { random } = context;
  switch (subject.kind) {
    case 'ENTERPRISE':
      return random.amount(100_000, 50_000_000, 10_000);
    case 'FARMERS_COOPERATIVE':
      return random.amount(50_000, 2_000_000, 10_000);
    case 'SOCIAL_ORGANISATION':
      return random.amount(30_000, 2_000_000, 10_000);
    default:
      // Sole traders register no capital.
      return null;
  }
}
