/** Environment rows: annual environmental credit ratings, environmental penalties, pollutant discharge permits. */
import type { EnvironmentRecords } from '../../subgraphs/environment/store';
import { addYears, yearOf } from './dates';
import type { SeedPlan, SubjectPlan } from './plan';
import { authorities, BuildContext, decisionNumber, iso, penaltyPublication, ratingPublishedOn } from './records';
import { ENVIRONMENT_VIOLATIONS } from './vocabulary';

const SERIOUS_VIOLATIONS = ENVIRONMENT_VIOLATIONS.filter((v) => v.serious);
const ORDINARY_VIOLATIONS = ENVIRONMENT_VIOLATIONS.filter((v) => !v.serious);
/** A discharge permit is valid for five years. */
const PERMIT_YEARS = 5;
/** A permit always names what it allows; an industry without a pollutant list discharges the usual wastewater pollutants. */
const DEFAULT_POLLUTANTS = ['化学需氧量', '氨氮'] as const;

export function createEnvironmentBuilder(plan: SeedPlan): (subjects: readonly SubjectPlan[]) => EnvironmentRecords {
  const context = new BuildContext(plan, 'environment');
  return (subjects) => {
    const records: EnvironmentRecords = { creditRatings: [], penalties: [], dischargePermits: [] };
    for (const subject of subjects) buildSubject(context, subject, records);
    return records;
  };
}

function buildSubject(context: BuildContext, subject: SubjectPlan, records: EnvironmentRecords): void {
  const { random, plan } = context;
  const { code, division, environment } = subject;
  const window = context.window(subject);
  const authority = authorities.environment(division);

  environment.ratings?.forEach((level, i) => {
    if (level === null) return;
    const year = plan.environmentYears[i]!;
    records.creditRatings.push({ subject_code: code, year, level, authority, assessed_on: iso(ratingPublishedOn(year, 7, division)) });
  });

  if (environment.penalty !== 'NONE') {
    const serious = environment.seriousPenalty;
    const violation = random.pick(serious ? SERIOUS_VIOLATIONS : ORDINARY_VIOLATIONS);
    const dates = penaltyPublication(random, window, environment.penalty, serious);
    const amount = serious ? random.amount(200_000, 2_000_000, 1_000) : random.amount(10_000, 200_000, 1_000);
    records.penalties.push({
      subject_code: code,
      decision_number: decisionNumber(division, '环罚', yearOf(dates.decided), context.nextSerial()),
      violation: violation.violation,
      content: serious ? `罚款${amount}元，责令停产整治，案件移送公安机关` : `责令改正，罚款${amount}元`,
      basis: violation.basis,
      authority,
      serious,
      amount,
      decided_on: iso(dates.decided),
      // Seven working days after a decision late in the window can reach the reference date itself.
      published_on: iso(dates.published),
      // A publication still running ends after the reference date.
      publication_ends_on: iso(dates.publicationEnds),
    });
  }

  if (environment.permit && subject.industry !== null) {
    const industry = subject.industry;
    // The permit in force was issued (or renewed) within the last five years.
    const issued = random.int(Math.max(window.earliest, addYears(context.reference, -PERMIT_YEARS) + 1), window.latest);
    const validUntil = addYears(issued, PERMIT_YEARS) - 1;
    // The permit number is the holder's code, a serial of its permits and P (a permit, not a registration).
    const previous = addYears(issued, -PERMIT_YEARS);
    if (previous >= window.earliest) {
      records.dischargePermits.push({
        subject_code: code,
        permit_number: `${code}001P`,
        industry: industry.word,
        pollutants: [...(industry.pollutants ?? DEFAULT_POLLUTANTS)],
        issued_on: iso(previous),
        valid_until: iso(issued - 1),
        status: 'EXPIRED',
      });
    }
    const revoked = environment.penalty === 'CURRENT' && environment.seriousPenalty && random.chance(0.3);
    records.dischargePermits.push({
      subject_code: code,
      permit_number: `${code}${previous >= window.earliest ? '002' : '001'}P`,
      industry: industry.word,
      pollutants: [...(industry.pollutants ?? DEFAULT_POLLUTANTS)],
      issued_on: iso(issued),
      valid_until: iso(validUntil),
      status: revoked ? 'REVOKED' : validUntil >= context.reference ? 'VALID' : 'EXPIRED',
    });
  }
}
