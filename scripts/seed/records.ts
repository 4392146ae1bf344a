/**
 * What the department row builders share: a builder's stream and counters,
 * the window a subject's records fall in, how listings and publications run
 * their course, the issuing authorities and the shape of document numbers.
 * A builder decides what a record says; when it starts and ends is decided
 * here, the same way for every department.
 */
import { addWorkingDays, addYears, dayOf, isoDate, type Day } from './dates';
import { penaltyPublicationYears } from '../../subgraphs/credit/policy/penalties';
import { Random } from './random';
import type { SeedPlan, Status, StreamName, SubjectPlan } from './plan';
import { DIVISIONS, type Division } from './vocabulary';

/** A department's view of the plan while it builds rows: its own stream, and a counter for document numbers. */
export class BuildContext {
  readonly random: Random;
  readonly reference: Day;
  /** The last day a record may carry: records are dated before the reference date. */
  readonly latest: Day;
  private sequence = 0;

  constructor(
    readonly plan: SeedPlan,
    stream: StreamName,
  ) {
    this.random = Random.fromState(plan.streams[stream]);
    this.reference = plan.referenceDate;
    this.latest = plan.referenceDate - 1;
  }

  /** Serial part of a document number; unique within the department, so numbers never collide. */
  nextSerial(): number {
    return ++this.sequence;
  }

  /**
   * Days a subject's records may fall on: from a month after it was founded
   * (at most six years back) to the day before the reference date. A natural
   * person has no founding date, so their records may fall in all six years.
   */
  window(subject: SubjectPlan): Window {
    const sixYearsBack = addYears(this.reference, -6);
    const earliest = subject.kind === 'NATURAL_PERSON' ? sixYearsBack : Math.max(subject.establishedOn + 30, sixYearsBack);
    return { earliest: Math.min(earliest, this.latest - 60), latest: this.latest };
  }
}

export interface Window {
  earliest: Day;
  latest: Day;
}

export interface Period {
  start: Day;
  /** Null while the record is in force. */
  end: Day | null;
}

/**
 * A listing (or case, or notice) with a plan status. A current one started
 * some time in the window and has no end; a past one ran for between
 * `minDays` and `maxDays` and ended before the reference date. A subject too
 * young for the usual duration had it cut short (removed early after repair).
 */
export function period(random: Random, window: Window, status: Exclude<Status, 'NONE'>, minDays: number, maxDays: number): Period {
  if (status === 'CURRENT') return { start: random.int(window.earliest, window.latest), end: null };
  const longest = Math.max(1, Math.min(maxDays, window.latest - window.earliest));
  const duration = random.int(Math.min(minDays, longest), longest);
  const start = random.int(window.earliest, window.latest - duration);
  return { start, end: start + duration };
}

export interface Publication {
  decided: Day;
  published: Day;
  /** Publication of a penalty ends by itself after its period, or earlier after credit repair. */
  publicationEnds: Day;
}

/** Share of penalties published after the seven working days the "double publicity" rule allows. */
const LATE_PUBLICATION = 0.03;
/** Share of finished publications that ended early through credit repair. */
const REPAIRED_EARLY = 0.3;

/**
 * Dates of a published administrative penalty. Publication runs for the
 * policy's period (one year for an ordinary penalty, three for a serious one); CURRENT means it still
 * runs on the reference date, PAST that it has ended.
 */
export function penaltyPublication(random: Random, window: Window, status: Exclude<Status, 'NONE'>, serious: boolean): Publication {
  const years = penaltyPublicationYears(serious);
  // Seven working days can span eleven calendar days: a publication is never dated after the window.
  const publish = (decided: Day): Day => {
    const late = random.chance(LATE_PUBLICATION) && decided + 30 < window.latest;
    return Math.min(addWorkingDays(decided, late ? random.int(8, 20) : random.int(1, 7)), window.latest);
  };
  if (status === 'CURRENT') {
    const newest = window.latest - 10;
    const oldest = Math.min(Math.max(window.earliest, addYears(window.latest + 1, -years) + 1), newest);
    const decided = random.int(oldest, newest);
    const published = publish(decided);
    return { decided, published, publicationEnds: addYears(published, years) };
  }
  const expiredBy = addYears(window.latest + 1, -years) - 30;
  if (expiredBy >= window.earliest && !random.chance(REPAIRED_EARLY)) {
    const decided = random.int(window.earliest, expiredBy);
    const published = publish(decided);
    return { decided, published, publicationEnds: addYears(published, years) };
  }
  const decided = random.int(window.earliest, Math.max(window.earliest, window.latest - 120));
  const published = publish(decided);
  return { decided, published, publicationEnds: random.int(Math.min(published + 90, window.latest), window.latest) };
}

/** A date inside a calendar year, but within the window (for records tied to a rated year). */
export function dayInYear(random: Random, year: number, window: Window): Day {
  const from = Math.max(dayOf(year, 1, 1), window.earliest);
  const to = Math.min(dayOf(year, 12, 31), window.latest);
  return from <= to ? random.int(from, to) : random.int(window.earliest, window.latest);
}

/**
 * Annual ratings come out as one batch per authority: every subject of a
 * division rated for `year` gets the same date in `month` of the next year.
 */
export function ratingPublishedOn(year: number, month: number, division: Division): Day {
  return dayOf(year + 1, month, 10 + (DIVISIONS.indexOf(division) % 15));
}

export const iso = isoDate;
export const isoOrNull = (day: Day | null): string | null => (day === null ? null : isoDate(day));

export const authorities = {
  market: (d: Division) => `${d.city}${d.district}市场监督管理局`,
  civilAffairs: (d: Division) => `${d.city}${d.district}民政局`,
  tax: (d: Division) => `国家税务总局${d.city}${d.district}税务局`,
  court: (d: Division) => `${d.city}${d.district}人民法院`,
  environment: (d: Division) => `${d.city}生态环境局`,
};

/** Decision numbers read like 京朝市监罚〔2025〕123号: province, district, office, year, serial. */
export function decisionNumber(d: Division, office: string, year: number, serial: number): string {
  return `${d.abbreviation}${d.district.slice(0, 1)}${office}〔${year}〕${serial}号`;
}

/** Enforcement case numbers read like （2024）京0105执1234号: the court's code is the division's last four digits. */
export function enforcementCaseNumber(d: Division, year: number, serial: number): string {
  return `（${year}）${d.abbreviation}${d.code.slice(2)}执${serial}号`;
}
