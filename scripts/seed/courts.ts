/** Court rows: the dishonest judgment debtor list, consumption restriction orders, enforcement cases. */
import type { CourtRecords } from '../../subgraphs/courts/store';
import { yearOf } from './dates';
import type { SeedPlan, SubjectPlan } from './plan';
import { authorities, BuildContext, enforcementCaseNumber, iso, isoOrNull, period } from './records';
import { DISHONEST_CONDUCTS, OBLIGATIONS } from './vocabulary';

const YEAR = 365;

/** Every order bars these; some add the rest of the allowed restrictions. */
const BASE_RESTRICTIONS = ['FLIGHTS', 'FIRST_CLASS_RAIL', 'STAR_HOTELS', 'PROPERTY_PURCHASE'] as const;
const EXTRA_RESTRICTIONS = ['LUXURY_TRAVEL', 'PRIVATE_SCHOOL_FEES'] as const;

export function createCourtsBuilder(plan: SeedPlan): (subjects: readonly SubjectPlan[]) => CourtRecords {
  const context = new BuildContext(plan, 'courts');
  return (subjects) => {
    const records: CourtRecords = { dishonestDebtors: [], consumptionRestrictions: [], enforcementCases: [] };
    for (const subject of subjects) buildSubject(context, subject, records);
    return records;
  };
}

function buildSubject(context: BuildContext, subject: SubjectPlan, records: CourtRecords): void {
  const { random } = context;
  const { code, division, courts } = subject;
  const window = context.window(subject);
  const court = authorities.court(division);
  const person = subject.kind === 'NATURAL_PERSON';
  const amountOwed = () => (person ? random.amount(5_000, 800_000, 100) : random.amount(20_000, 10_000_000, 100));

  if (courts.dishonest !== 'NONE') {
    // The listing comes some time after the enforcement case was filed; leave a month for it.
    const listing = period(random, { earliest: window.earliest + 30, latest: window.latest }, courts.dishonest, 60, 2 * YEAR);
    const filed = random.int(Math.max(window.earliest, listing.start - YEAR), listing.start - 1);
    const caseNumber = enforcementCaseNumber(division, yearOf(filed), context.nextSerial());
    const judged = filed - random.int(30, 300);
    const performance =
      listing.end === null
        ? random.chance(0.7) ? 'NOT_PERFORMED' : 'PARTIALLY_PERFORMED'
        : random.chance(0.85) ? 'PERFORMED' : 'PARTIALLY_PERFORMED';
    records.dishonestDebtors.push({
      subject_code: code,
      case_number: caseNumber,
      court,
      basis_document: `（${yearOf(judged)}）${division.abbreviation}${division.code.slice(2)}民初${context.nextSerial()}号`,
      obligation: random.pick(OBLIGATIONS),
      performance_status: performance,
      dishonest_conduct: random.pick(DISHONEST_CONDUCTS),
      listed_on: iso(listing.start),
      removed_on: isoOrNull(listing.end),
    });
    // Restricting consumption comes with (or before) the listing and is lifted with it; it binds the legal representative.
    records.consumptionRestrictions.push({
      subject_code: code,
      case_number: caseNumber,
      court,
      restricted_person_name: subject.representative.name,
      restricted_person_id: subject.representative.residentId,
      restrictions: [...BASE_RESTRICTIONS, ...EXTRA_RESTRICTIONS.filter(() => random.chance(0.3))],
      issued_on: iso(random.int(filed, listing.start)),
      lifted_on: isoOrNull(listing.end),
    });
    records.enforcementCases.push({
      subject_code: code,
      case_number: caseNumber,
      court,
      amount: amountOwed(),
      filed_on: iso(filed),
      status: listing.end === null ? 'PENDING' : 'CLOSED',
      closed_on: isoOrNull(listing.end),
    });
  }

  if (courts.enforcement !== 'NONE') {
    // An enforcement case that never led to a listing: paid during enforcement, or still running.
    const running = period(random, window, courts.enforcement, 30, 2 * YEAR);
    records.enforcementCases.push({
      subject_code: code,
      case_number: enforcementCaseNumber(division, yearOf(running.start), context.nextSerial()),
      court,
      amount: amountOwed(),
      filed_on: iso(running.start),
      status: running.end === null ? 'PENDING' : 'CLOSED',
      closed_on: isoOrNull(running.end),
    });
  }
}
