/**
 * The per-subject plan: who the subjects are and which records each
 * department holds on them, decided once from the seed. Department row
 * builders turn it into rows and only choose the details (dates within the
 * plan's constraints, texts, amounts), so every department talks about the
 * same subjects and agrees on what is current and what was removed.
 *
 * The plan is small (one object per subject, no rows): 100,000 subjects fit
 * in tens of megabytes, and the departments' rows are streamed from it.
 */
import { buildResidentId, buildUscc } from '../../lib/identifiers';
import { addYears, dayOf, isoDate, toDay, yearOf, type Day } from './dates';
import { Random } from './random';
import { DIVISIONS, GIVEN_NAMES, INDUSTRIES, SURNAMES, TRADE_CHARACTERS, SHOP_TYPES, COOPERATIVE_PRODUCTS, SOCIAL_FIELDS, type Division, type Industry } from './vocabulary';

export type SubjectKind = 'ENTERPRISE' | 'SOLE_TRADER' | 'FARMERS_COOPERATIVE' | 'SOCIAL_ORGANISATION' | 'NATURAL_PERSON';
/** NONE: no such record. CURRENT: in force. PAST: removed, expired, lifted, settled or closed before the reference date. */
export type Status = 'NONE' | 'CURRENT' | 'PAST';
export type TaxLevel = 'A' | 'B' | 'M' | 'C' | 'D';
export type EnvironmentLevel = 'GREEN' | 'BLUE' | 'YELLOW' | 'RED' | 'BLACK';
export type StreamName = 'market' | 'tax' | 'courts' | 'environment';

export interface Person {
  name: string;
  residentId: string;
}

export interface SubjectPlan {
  index: number;
  /** USCC, or the resident identity number of a natural person. */
  code: string;
  kind: SubjectKind;
  name: string;
  division: Division;
  /** Null for natural persons. */
  industry: Industry | null;
  /** Legal representative (operator of a sole trader); a natural person is their own. */
  representative: Person;
  establishedOn: Day;
  market: {
    penalty: Status;
    seriousPenalty: boolean;
    abnormal: Status;
    seriousList: Status;
    /** On the serious list because it stayed three years on the abnormal operations list. */
    seriousViaAbnormal: boolean;
    licences: number;
    spotChecks: number;
  };
  tax: {
    /** One level per year of `SeedPlan.taxYears`; null before the subject existed or when it is not rated. */
    ratings: (TaxLevel | null)[] | null;
    majorViolation: Status;
    /** Index into `SeedPlan.taxYears` of the year the violation was decided. */
    violationYear: number;
    arrears: Status;
  };
  courts: { dishonest: Status; enforcement: Status };
  environment: {
    ratings: (EnvironmentLevel | null)[] | null;
    penalty: Status;
    seriousPenalty: boolean;
    permit: boolean;
  };
}

/** The cases the demo shows one example of. */
export const SHOWCASE_CASES = [
  'clean',
  'redList',
  'dishonestDebtor',
  'dishonestPerson',
  'majorTaxViolation',
  'seriousViolation',
  'abnormalOperations',
  'environmentalBlack',
  'formerlyListed',
] as const;
export type ShowcaseCase = (typeof SHOWCASE_CASES)[number];

export interface SeedPlan {
  seed: number;
  referenceDate: Day;
  /** The three rated years, oldest first, whose ratings were published by the reference date. */
  taxYears: number[];
  environmentYears: number[];
  subjects: SubjectPlan[];
  /** Subject index of the example of each case. */
  showcase: Record<ShowcaseCase, number>;
  /** Initial state of each department's own stream. */
  streams: Record<StreamName, number[]>;
}

export interface PlanOptions {
  subjects: number;
  seed: number;
  /** Overrides the reference date derived from the seed ('YYYY-MM-DD'). */
  referenceDate?: string;
}

export const MIN_SUBJECTS = SHOWCASE_CASES.length * 2;
export const RATED_YEARS = 3;

/** Reference dates fall in the first half of 2026, a fixed window, so a seed always gives the same data. */
const REFERENCE_WINDOW_START = toDay('2026-01-01');
const REFERENCE_WINDOW_DAYS = 181;

const KIND_WEIGHTS: Record<SubjectKind, number> = {
  ENTERPRISE: 80,
  SOLE_TRADER: 13,
  FARMERS_COOPERATIVE: 3,
  SOCIAL_ORGANISATION: 3,
  NATURAL_PERSON: 1,
};

/**
 * Misconduct clusters: most subjects are clean and a few collect several
 * records. A subject's risk multiplies every base share below; the mean
 * multiplier is about 0.9, so the overall shares stay near the base ones.
 */
const RISK_MULTIPLIERS = { LOW: 0.4, MEDIUM: 2.5, HIGH: 8 } as const;
const RISK_WEIGHTS: Record<keyof typeof RISK_MULTIPLIERS, number> = { LOW: 85, MEDIUM: 12, HIGH: 3 };

/** Base share of organisations with each kind of record, and the share of those still current. */
export const SHARES = {
  penalty: { base: 0.07, current: 0.55, serious: 0.25 },
  abnormal: { base: 0.05, current: 0.6 },
  seriousList: { base: 0.012, current: 0.7, viaAbnormal: 0.5 },
  majorTaxViolation: { base: 0.01, current: 0.7 },
  arrears: { base: 0.03, current: 0.55 },
  dishonest: { base: 0.025, current: 0.65 },
  enforcement: { base: 0.05, current: 0.4 },
  environmentPenalty: { polluting: 0.1, other: 0.004, current: 0.55, serious: 0.25 },
  environmentRated: { polluting: 0.85, other: 0.03 },
  dishonestPerson: { current: 0.75 },
  /** Natural persons on the debtor list who are also the legal representative of an organisation. */
  personAsRepresentative: 0.3,
} as const;

const TAX_LATEST: Record<TaxLevel, number> = { A: 14, B: 50, M: 20, C: 13, D: 3 };
const TAX_NOT_A: Record<TaxLevel, number> = { A: 0, B: 35, M: 20, C: 35, D: 10 };
const ENVIRONMENT_LATEST: Record<EnvironmentLevel, number> = { GREEN: 15, BLUE: 55, YELLOW: 17, RED: 9, BLACK: 4 };
/** A year's rating repeats the next year's this often, so a subject's history is mostly steady. */
const RATING_PERSISTENCE = 0.65;

const POLLUTING = INDUSTRIES.filter((industry) => industry.polluting);
const NOT_POLLUTING = INDUSTRIES.filter((industry) => !industry.polluting);
const POLLUTING_SHARE = 0.25;

/** Odd multipliers coprime with the modulus make index → organisation code a bijection: codes never collide. */
const CODE_MULTIPLIER = 48_271;
const NUMERIC_BODIES = 100_000_000;
const LETTER_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const LETTER_BODIES = LETTER_ALPHABET.length ** 6;
/** Codes issued after the 2015 reform start their organisation part with "MA". */
const NEW_CODE_SINCE = toDay('2015-10-01');

export function createPlan(options: PlanOptions): SeedPlan {
  const { subjects: count, seed } = options;
  if (!Number.isInteger(count) || count < MIN_SUBJECTS) {
    throw new Error(`subjects must be an integer of at least ${MIN_SUBJECTS} (one example of each showcase case needs room), got ${count}`);
  }
  const random = Random.fromSeed(seed);
  const derivedReference = REFERENCE_WINDOW_START + random.int(0, REFERENCE_WINDOW_DAYS - 1);
  const referenceDate = options.referenceDate !== undefined ? toDay(options.referenceDate) : derivedReference;
  const codeOffsets = { numeric: random.int(0, NUMERIC_BODIES - 1), letter: random.int(0, LETTER_BODIES - 1) };

  const showcaseIndexes = pickDistinct(random, count, SHOWCASE_CASES.length);
  const showcase = Object.fromEntries(SHOWCASE_CASES.map((name, i) => [name, showcaseIndexes[i]!])) as Record<ShowcaseCase, number>;
  const caseAt = new Map(SHOWCASE_CASES.map((name) => [showcase[name], name]));

  const context: SubjectContext = {
    random,
    referenceDate,
    taxYears: ratedYears(referenceDate, 4),
    environmentYears: ratedYears(referenceDate, 7),
    codeOffsets,
    residentIds: new Set(),
  };
  const subjects: SubjectPlan[] = [];
  for (let index = 0; index < count; index++) subjects.push(planSubject(context, index, caseAt.get(index)));

  appointPersonsAsRepresentatives(random, subjects, new Set(showcaseIndexes));

  const streams = {} as Record<StreamName, number[]>;
  for (const name of ['market', 'tax', 'courts', 'environment'] as const) {
    streams[name] = random.state();
  }
  return { seed, referenceDate, taxYears: context.taxYears, environmentYears: context.environmentYears, subjects, showcase, streams };
}

/**
 * The last RATED_YEARS years whose ratings were published by the reference
 * date; ratings of year y come out in `publicationMonth` of y + 1.
 */
function ratedYears(referenceDate: Day, publicationMonth: number): number[] {
  const year = yearOf(referenceDate);
  const latest = referenceDate > dayOf(year, publicationMonth + 1, 0) ? year - 1 : year - 2;
  return Array.from({ length: RATED_YEARS }, (_, i) => latest - (RATED_YEARS - 1) + i);
}

function pickDistinct(random: Random, range: number, count: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(random.int(0, range - 1));
  return [...chosen];
}

interface SubjectContext {
  random: Random;
  referenceDate: Day;
  taxYears: number[];
  environmentYears: number[];
  codeOffsets: { numeric: number; letter: number };
  residentIds: Set<string>;
}

function planSubject(context: SubjectContext, index: number, showcase: ShowcaseCase | undefined): SubjectPlan {
  const { random, referenceDate } = context;
  const kind: SubjectKind =
    showcase === 'dishonestPerson' ? 'NATURAL_PERSON' : showcase !== undefined ? 'ENTERPRISE' : random.weighted(KIND_WEIGHTS);
  const division = random.pick(DIVISIONS);

  if (kind === 'NATURAL_PERSON') {
    const person = newPerson(context, division, referenceDate);
    const current = showcase === 'dishonestPerson' || random.chance(SHARES.dishonestPerson.current);
    return {
      ...emptyRecords(),
      index,
      code: person.residentId,
      kind,
      name: person.name,
      division,
      industry: null,
      representative: person,
      establishedOn: referenceDate,
      courts: { dishonest: current ? 'CURRENT' : 'PAST', enforcement: 'NONE' },
    };
  }

  // Recent registrations outnumber old ones; at least 400 days leaves room for a history of records.
  const ageDays = 400 + Math.floor((random.int(0, 1000) / 1000) ** 2 * 24 * 365);
  // Showcase subjects are old enough to have every rated year.
  const establishedOn = showcase !== undefined ? Math.min(referenceDate - ageDays, addYears(referenceDate, -6)) : referenceDate - ageDays;
  // Only enterprises carry an industry; a quarter of them discharge pollutants, as in a mixed urban economy.
  // The environmental example must be a polluter: only polluters hold discharge permits and environmental ratings.
  const polluting = showcase === 'environmentalBlack' || random.chance(POLLUTING_SHARE);
  const industry = kind === 'ENTERPRISE' ? random.pick(polluting ? POLLUTING : NOT_POLLUTING) : null;
  const representative = newPerson(context, random.chance(0.7) ? division : random.pick(DIVISIONS), establishedOn);
  const subject: SubjectPlan = {
    ...emptyRecords(),
    index,
    code: organisationCode(context, index, kind, division, establishedOn),
    kind,
    name: organisationName(random, kind, division, industry, representative),
    division,
    industry,
    representative,
    establishedOn,
  };
  subject.market.licences = random.chance(0.3) ? random.int(1, 3) : 0;
  subject.market.spotChecks = random.chance(0.12) ? random.int(1, 2) : 0;
  if (showcase !== undefined) applyShowcase(context, subject, showcase);
  else planRecords(context, subject);
  return subject;
}

function emptyRecords(): Pick<SubjectPlan, 'market' | 'tax' | 'courts' | 'environment'> {
  return {
    market: { penalty: 'NONE', seriousPenalty: false, abnormal: 'NONE', seriousList: 'NONE', seriousViaAbnormal: false, licences: 0, spotChecks: 0 },
    tax: { ratings: null, majorViolation: 'NONE', violationYear: 0, arrears: 'NONE' },
    courts: { dishonest: 'NONE', enforcement: 'NONE' },
    environment: { ratings: null, penalty: 'NONE', seriousPenalty: false, permit: false },
  };
}

/** Decides an organisation's records from the base shares scaled by its risk. */
function planRecords(context: SubjectContext, subject: SubjectPlan): void {
  const { random } = context;
  const risk = RISK_MULTIPLIERS[random.weighted(RISK_WEIGHTS)];
  const status = (base: number, current: number): Status =>
    random.chance(Math.min(0.9, base * risk)) ? (random.chance(current) ? 'CURRENT' : 'PAST') : 'NONE';
  const registeredByMarket = subject.kind !== 'SOCIAL_ORGANISATION';
  const polluting = subject.industry?.polluting === true;

  const market = subject.market;
  market.penalty = registeredByMarket ? status(SHARES.penalty.base, SHARES.penalty.current) : 'NONE';
  market.seriousPenalty = market.penalty !== 'NONE' && random.chance(SHARES.penalty.serious);
  market.abnormal = registeredByMarket ? status(SHARES.abnormal.base, SHARES.abnormal.current) : 'NONE';
  market.seriousList = subject.kind === 'ENTERPRISE' ? status(SHARES.seriousList.base, SHARES.seriousList.current) : 'NONE';
  // The three-year rule needs a subject that has existed for more than three years.
  market.seriousViaAbnormal =
    market.seriousList === 'CURRENT' &&
    subject.establishedOn < addYears(context.referenceDate, -4) &&
    random.chance(SHARES.seriousList.viaAbnormal);
  if (market.seriousViaAbnormal) market.abnormal = 'CURRENT';

  const tax = subject.tax;
  tax.majorViolation = status(SHARES.majorTaxViolation.base, SHARES.majorTaxViolation.current);
  tax.arrears = status(SHARES.arrears.base, SHARES.arrears.current);
  const courts = subject.courts;
  courts.dishonest = status(SHARES.dishonest.base, SHARES.dishonest.current);
  courts.enforcement = status(SHARES.enforcement.base, SHARES.enforcement.current);

  const environment = subject.environment;
  environment.penalty = status(polluting ? SHARES.environmentPenalty.polluting : SHARES.environmentPenalty.other, SHARES.environmentPenalty.current);
  environment.seriousPenalty = environment.penalty !== 'NONE' && random.chance(SHARES.environmentPenalty.serious);
  environment.permit = polluting && random.chance(0.9);

  const seriouslyAdverse =
    courts.dishonest === 'CURRENT' ||
    market.seriousList === 'CURRENT' ||
    tax.arrears === 'CURRENT' ||
    (market.penalty === 'CURRENT' && market.seriousPenalty);
  planTaxRatings(context, subject, seriouslyAdverse);

  const rated = random.chance(polluting ? SHARES.environmentRated.polluting : SHARES.environmentRated.other);
  if (rated || environment.penalty !== 'NONE') {
    const seriousNow = environment.penalty === 'CURRENT' && environment.seriousPenalty;
    const latest: EnvironmentLevel = seriousNow ? random.pick(['RED', 'BLACK'] as const) : random.weighted(ENVIRONMENT_LATEST);
    environment.ratings = ratingHistory(random, context.environmentYears, subject.establishedOn, latest, () => random.weighted(ENVIRONMENT_LATEST));
  }
}

/**
 * Tax ratings follow the subject's record: a major violation makes its year D
 * (and every year after while the case stays published), a current serious
 * record rules out A, and the year a subject was founded it is rated M.
 */
function planTaxRatings(context: SubjectContext, subject: SubjectPlan, seriouslyAdverse: boolean): void {
  const { random } = context;
  const tax = subject.tax;
  if (subject.kind !== 'ENTERPRISE' && subject.kind !== 'FARMERS_COOPERATIVE') return;
  const years = context.taxYears;
  const latest = tax.majorViolation === 'CURRENT' ? 'D' : random.weighted(seriouslyAdverse ? TAX_NOT_A : TAX_LATEST);
  tax.ratings = ratingHistory(random, years, subject.establishedOn, latest, () => random.weighted(TAX_LATEST));
  // A taxpayer founded during the year is rated M (new taxpayer) for it.
  const founded = years.indexOf(yearOf(subject.establishedOn));
  if (founded >= 0) tax.ratings[founded] = 'M';
  if (tax.majorViolation === 'NONE') return;
  const firstRated = tax.ratings.findIndex((level) => level !== null);
  if (firstRated < 0) {
    // Too young to have been rated: the case itself is the record.
    tax.violationYear = years.length - 1;
    return;
  }
  if (tax.majorViolation === 'CURRENT') {
    tax.violationYear = random.int(firstRated, years.length - 1);
    for (let y = tax.violationYear; y < years.length; y++) tax.ratings[y] = 'D';
  } else {
    // A removed case was decided before the latest year, leaving time to pay and be removed.
    tax.violationYear = Math.min(random.int(firstRated, years.length - 2), years.length - 2);
    if (tax.violationYear < firstRated) tax.violationYear = firstRated;
    tax.ratings[tax.violationYear] = 'D';
    for (let y = tax.violationYear + 1; y < years.length; y++) tax.ratings[y] = random.pick(['B', 'M', 'C'] as const);
  }
}

/** Ratings oldest first ending at `latest`; years that ended before the subject existed have none. */
function ratingHistory<L extends string>(random: Random, years: number[], establishedOn: Day, latest: L, draw: () => L): (L | null)[] {
  const levels: (L | null)[] = new Array(years.length).fill(null);
  let next = latest;
  for (let y = years.length - 1; y >= 0; y--) {
    if (dayOf(years[y]!, 12, 31) < establishedOn) break;
    const level = y === years.length - 1 ? latest : random.chance(RATING_PERSISTENCE) ? next : draw();
    levels[y] = level;
    next = level;
  }
  return levels;
}

function applyShowcase(context: SubjectContext, subject: SubjectPlan, showcase: ShowcaseCase): void {
  const rated = <L extends string>(latest: L, earlier: L): (L | null)[] =>
    context.taxYears.map((_, y) => (y === context.taxYears.length - 1 ? latest : earlier));
  const { market, tax, courts, environment } = subject;
  tax.ratings = rated<TaxLevel>('B', 'B');
  switch (showcase) {
    case 'clean':
      break;
    case 'redList':
      tax.ratings = rated<TaxLevel>('A', 'A');
      break;
    case 'dishonestDebtor':
      courts.dishonest = 'CURRENT';
      tax.ratings = rated<TaxLevel>('C', 'B');
      break;
    case 'majorTaxViolation':
      tax.majorViolation = 'CURRENT';
      tax.violationYear = context.taxYears.length - 1;
      tax.ratings = rated<TaxLevel>('D', 'B');
      break;
    case 'seriousViolation':
      market.seriousList = 'CURRENT';
      break;
    case 'abnormalOperations':
      market.abnormal = 'CURRENT';
      break;
    case 'environmentalBlack':
      environment.ratings = rated<EnvironmentLevel>('BLACK', 'YELLOW');
      environment.penalty = 'CURRENT';
      environment.seriousPenalty = true;
      environment.permit = true;
      break;
    case 'formerlyListed':
      // Listed once, everything since removed: the graph must not punish it any more.
      courts.dishonest = 'PAST';
      market.abnormal = 'PAST';
      break;
    case 'dishonestPerson':
      throw new Error('a natural person is planned separately');
  }
}

function newPerson(context: SubjectContext, division: Division, adultBy: Day): Person {
  const { random } = context;
  const name = random.pick([...SURNAMES]) + random.pick(GIVEN_NAMES);
  // Born 22 to 60 years before the date they had to be an adult (founding a company, or today).
  for (;;) {
    const born = adultBy - random.int(22 * 365, 60 * 365);
    const birthDate = isoDate(born).replaceAll('-', '');
    const residentId = buildResidentId(division.code, birthDate, String(random.int(1, 999)).padStart(3, '0'));
    if (!context.residentIds.has(residentId)) {
      context.residentIds.add(residentId);
      return { name, residentId };
    }
  }
}

function organisationCode(context: SubjectContext, index: number, kind: SubjectKind, division: Division, establishedOn: Day): string {
  const { numeric, letter } = context.codeOffsets;
  let body: string;
  if (establishedOn >= NEW_CODE_SINCE) {
    let n = (index * CODE_MULTIPLIER + letter) % LETTER_BODIES;
    body = 'MA';
    for (let i = 0; i < 6; i++) {
      body += LETTER_ALPHABET[n % LETTER_ALPHABET.length];
      n = Math.floor(n / LETTER_ALPHABET.length);
    }
  } else {
    body = String((index * CODE_MULTIPLIER + numeric) % NUMERIC_BODIES).padStart(8, '0');
  }
  const [authority, entityType] =
    kind === 'SOLE_TRADER' ? ['9', '2'] : kind === 'FARMERS_COOPERATIVE' ? ['9', '3'] : kind === 'SOCIAL_ORGANISATION' ? ['5', String(1 + (index % 3))] : ['9', '1'];
  return buildUscc({ authority, entityType, division: division.code, organisationBody: body });
}

function organisationName(random: Random, kind: SubjectKind, division: Division, industry: Industry | null, owner: Person): string {
  const trade = random.pick([...TRADE_CHARACTERS]) + random.pick([...TRADE_CHARACTERS]);
  const city = division.city.replace(/市$/, '');
  switch (kind) {
    case 'SOLE_TRADER':
      return `${division.district}${owner.name.slice(0, 1)}记${random.pick(SHOP_TYPES)}`;
    case 'FARMERS_COOPERATIVE':
      return `${division.district}${trade}${random.pick(COOPERATIVE_PRODUCTS)}专业合作社`;
    case 'SOCIAL_ORGANISATION':
      return `${division.city}${random.pick(SOCIAL_FIELDS)}`;
    default:
      return `${city}${trade}${industry?.word ?? '实业'}有限公司`;
  }
}

/**
 * Some natural persons on the debtor list also run a company: their identity
 * number then appears as a legal representative, which is what a consumption
 * restriction on "the legal representative" is about. Showcase subjects keep
 * their own representatives so each example shows one thing.
 */
function appointPersonsAsRepresentatives(random: Random, subjects: SubjectPlan[], keep: Set<number>): void {
  const organisations = subjects.filter((s) => s.kind === 'ENTERPRISE' && !keep.has(s.index));
  for (const person of subjects) {
    if (person.kind !== 'NATURAL_PERSON' || keep.has(person.index) || organisations.length === 0) continue;
    if (!random.chance(SHARES.personAsRepresentative)) continue;
    const organisation = organisations[random.int(0, organisations.length - 1)]!;
    organisation.representative = person.representative;
  }
}
