/**
 * The measures catalogue (联合奖惩措施清单): every joint incentive and joint
 * punishment as data — kind, mandatory or recommended, channel, effect on the
 * verdict, the triggers that apply it, the scenarios it applies in, who
 * initiates and who implements it, legal basis and period.
 *
 * The catalogue is versioned: publishing writes a whole new version, and a
 * published version never changes (the database refuses updates and
 * deletes), so a past check can be explained with the catalogue it was
 * decided with. Version 1 is inserted by migration 002.
 */
import type { Database, Queryable } from '../../lib/db';
import { badUserInput } from '../../lib/errors';
import { catalogueWeakenings, weakeningFloor } from './policy';
import {
  DEPARTMENTS,
  SCENARIOS,
  TRIGGERS,
  TRIGGER_NAMES,
  type Department,
  type MeasureChannel,
  type MeasureEffect,
  type MeasureKind,
  type Scenario,
  type Trigger,
} from './vocabulary';

export const MEASURE_KINDS = ['INCENTIVE', 'PUNISHMENT'] as const satisfies readonly MeasureKind[];
export const MEASURE_CHANNELS = ['ADMINISTRATIVE', 'MARKET', 'INDUSTRY', 'SOCIAL'] as const satisfies readonly MeasureChannel[];
export const MEASURE_EFFECTS = ['PROHIBIT', 'RESTRICT', 'FACILITATE'] as const satisfies readonly MeasureEffect[];

/** Measure codes: upper case letters, digits and underscores, starting with a letter (e.g. P_NO_FISCAL_FUNDS). */
export const MEASURE_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
/** Most measures one version may hold. */
export const MAX_MEASURES = 500;

export interface Measure {
  code: string;
  /** Chinese name, e.g. 限制参与政府采购、招标投标和公共资源交易. */
  name: string;
  description: string;
  kind: MeasureKind;
  /** Mandatory (must be applied jointly) or recommended. */
  mandatory: boolean;
  channel: MeasureChannel;
  effect: MeasureEffect;
  /** Vocabulary order (TRIGGER_NAMES). */
  triggers: readonly Trigger[];
  /** Vocabulary order (SCENARIOS). */
  scenarios: readonly Scenario[];
  /** The departments whose determinations initiate it; vocabulary order (DEPARTMENTS). */
  initiatingDepartments: readonly Department[];
  /** Who applies it, free text (发展改革、财政、金融机构…), in the order published. */
  implementingDepartments: readonly string[];
  /** Applies to the legal representative and directly responsible persons rather than the entity. */
  personLevel: boolean;
  legalBasis: string;
  /** null: for as long as the triggering record is in force. */
  periodMonths: number | null;
}

export interface Catalogue {
  version: number;
  /** ISO-8601 instant. */
  publishedAt: string;
  note: string;
  publishedBy: string;
  /** The version this one corrected (a measure published in error), or null. */
  corrects: number | null;
  /** Ordered by code. */
  measures: readonly Measure[];
}

/** A measure as published: like `Measure`, arrays in any order, periodMonths optional. */
export type MeasureInput = Omit<Measure, 'periodMonths'> & { periodMonths?: number | null };

export interface PublishCatalogueInput {
  note: string;
  measures: readonly MeasureInput[];
  /** The version in force, when this version corrects a measure it published in error. */
  corrects?: number | null;
}

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * The measures of `catalogue` that apply in `scenario` for a subject with
 * `triggers`: those whose scenarios include it and whose triggers intersect
 * the set; ordered by code. Pure: the credit-check engine calls it with the
 * catalogue version it decides with.
 */
export function measuresFor(catalogue: Pick<Catalogue, 'measures'>, scenario: Scenario, triggers: ReadonlySet<Trigger>): Measure[] {
  return catalogue.measures
    .filter((measure) => measure.scenarios.includes(scenario) && measure.triggers.some((trigger) => triggers.has(trigger)))
    .sort(byCode);
}

// --- Reading -----------------------------------------------------------------

interface VersionRow {
  version: number;
  published_at: Date | string;
  note: string;
  published_by: string;
  corrects: number | null;
}

interface MeasureRow {
  code: string;
  name: string;
  description: string;
  kind: MeasureKind;
  mandatory: boolean;
  channel: MeasureChannel;
  effect: MeasureEffect;
  triggers: Trigger[];
  scenarios: Scenario[];
  initiating_departments: Department[];
  implementing_departments: string[];
  person_level: boolean;
  legal_basis: string;
  period_months: number | null;
}

/**
 * Published versions never change, so each database's versions are cached
 * once read (keyed by the database object; a transaction's handle simply
 * misses). Which version is the latest is always asked of the database.
 */
const cache = new WeakMap<Queryable, Map<number, Catalogue>>();

function cacheOf(q: Queryable): Map<number, Catalogue> {
  let versions = cache.get(q);
  if (!versions) cache.set(q, (versions = new Map()));
  return versions;
}

function deepFreeze(catalogue: Catalogue): Catalogue {
  for (const measure of catalogue.measures) {
    Object.freeze(measure.triggers);
    Object.freeze(measure.scenarios);
    Object.freeze(measure.initiatingDepartments);
    Object.freeze(measure.implementingDepartments);
    Object.freeze(measure);
  }
  Object.freeze(catalogue.measures);
  return Object.freeze(catalogue);
}

async function latestVersion(q: Queryable): Promise<number | null> {
  const [row] = await q.query<{ latest: number | null }>('SELECT max(version) AS latest FROM catalogue_version');
  return row?.latest ?? null;
}

async function readVersion(q: Queryable, version: number): Promise<Catalogue | null> {
  const [head] = await q.query<VersionRow>('SELECT version, published_at, note, published_by, corrects FROM catalogue_version WHERE version = $1', [
    version,
  ]);
  if (!head) return null;
  const rows = await q.query<MeasureRow>(
    `SELECT code, name, description, kind, mandatory, channel, effect, triggers, scenarios, initiating_departments,
            implementing_departments, person_level, legal_basis, period_months
       FROM measure WHERE version = $1`,
    [version],
  );
  const measures: Measure[] = rows
    .map((row) => ({
      code: row.code,
      name: row.name,
      description: row.description,
      kind: row.kind,
      mandatory: row.mandatory,
      channel: row.channel,
      effect: row.effect,
      triggers: row.triggers,
      scenarios: row.scenarios,
      initiatingDepartments: row.initiating_departments,
      implementingDepartments: row.implementing_departments,
      personLevel: row.person_level,
      legalBasis: row.legal_basis,
      periodMonths: row.period_months,
    }))
    .sort(byCode);
  return deepFreeze({
    version: head.version,
    publishedAt: new Date(head.published_at).toISOString(),
    note: head.note,
    publishedBy: head.published_by,
    corrects: head.corrects,
    measures,
  });
}

/**
 * One version of the catalogue, the latest when `version` is omitted.
 * A version that does not exist is refused with BAD_USER_INPUT.
 */
export async function catalogueVersion(q: Queryable, version?: number | null): Promise<Catalogue> {
  if (version !== undefined && version !== null && (!Number.isInteger(version) || version < 1)) {
    throw badUserInput(`a measure catalogue version is a positive integer, got ${version}`, { version });
  }
  const wanted = version ?? (await latestVersion(q));
  if (wanted === null) throw new Error('no measure catalogue has been published (migration 002 inserts version 1)');
  const versions = cacheOf(q);
  const cached = versions.get(wanted);
  if (cached) return cached;
  const catalogue = await readVersion(q, wanted);
  if (!catalogue) {
    const latest = await latestVersion(q);
    throw badUserInput(`measure catalogue version ${wanted} does not exist; the latest version is ${latest}`, {
      version: wanted,
      latest,
    });
  }
  versions.set(wanted, catalogue);
  return catalogue;
}

// --- Publishing --------------------------------------------------------------

/**
 * The longest period a measure may run: ten years, beyond any the seeds or the memoranda name (the
 * lists run three years at most); past it a date is no longer a date (found by a black-box review:
 * 2,147,483,647 months was accepted and every check then failed on the date it computed).
 */
export const MAX_PERIOD_MONTHS = 120;

const inOrder = <T extends string>(order: readonly T[], values: readonly T[]): T[] =>
  [...values].sort((a, b) => order.indexOf(a) - order.indexOf(b));

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** Every problem of an input catalogue, each naming the measure and field; empty when it can be published. */
export function catalogueProblems(input: PublishCatalogueInput): string[] {
  const problems: string[] = [];
  if (!isNonEmptyString(input.note)) problems.push('note is empty');
  if (!Array.isArray(input.measures) || input.measures.length === 0) {
    problems.push('measures is empty: a catalogue version holds at least one measure');
    return problems;
  }
  if (input.measures.length > MAX_MEASURES) problems.push(`a catalogue version holds at most ${MAX_MEASURES} measures, got ${input.measures.length}`);

  const seen = new Map<string, number>();
  input.measures.forEach((measure, index) => {
    const at = `measures[${index}]${typeof measure.code === 'string' ? ` (${measure.code})` : ''}`;
    const problem = (text: string) => problems.push(`${at}: ${text}`);

    if (typeof measure.code !== 'string' || !MEASURE_CODE.test(measure.code)) {
      problem(`code must be 2-64 upper-case letters, digits or underscores starting with a letter`);
    } else {
      const first = seen.get(measure.code);
      if (first !== undefined) problem(`duplicate code ${measure.code} (also measures[${first}])`);
      else seen.set(measure.code, index);
    }
    if (!isNonEmptyString(measure.name)) problem('name is empty');
    if (typeof measure.description !== 'string') problem('description is missing');
    if (!isNonEmptyString(measure.legalBasis)) problem('legalBasis is empty');
    if (typeof measure.mandatory !== 'boolean') problem('mandatory must be true or false');
    if (typeof measure.personLevel !== 'boolean') problem('personLevel must be true or false');

    const kindKnown = (MEASURE_KINDS as readonly string[]).includes(measure.kind);
    if (!kindKnown) problem(`unknown kind ${String(measure.kind)} (one of ${MEASURE_KINDS.join(', ')})`);
    if (!(MEASURE_CHANNELS as readonly string[]).includes(measure.channel)) {
      problem(`unknown channel ${String(measure.channel)} (one of ${MEASURE_CHANNELS.join(', ')})`);
    }
    if (!(MEASURE_EFFECTS as readonly string[]).includes(measure.effect)) {
      problem(`unknown effect ${String(measure.effect)} (one of ${MEASURE_EFFECTS.join(', ')})`);
    } else if (kindKnown && (measure.kind === 'INCENTIVE') !== (measure.effect === 'FACILITATE')) {
      problem(`effect ${measure.effect} does not fit kind ${measure.kind}: an incentive facilitates, a punishment prohibits or restricts`);
    }

    const list = <T extends string>(field: string, what: string, values: readonly T[] | undefined, known: readonly string[]): T[] => {
      if (!Array.isArray(values) || values.length === 0) {
        problem(`${field} is empty: at least one is required`);
        return [];
      }
      const valid: T[] = [];
      const distinct = new Set<string>();
      for (const value of values) {
        if (!known.includes(value)) problem(`unknown ${what} ${String(value)} in ${field}`);
        else if (distinct.has(value)) problem(`${value} is listed twice in ${field}`);
        else valid.push(value);
        distinct.add(value);
      }
      return valid;
    };
    const triggers = list<Trigger>('triggers', 'trigger', measure.triggers, TRIGGER_NAMES);
    list<Scenario>('scenarios', 'scenario', measure.scenarios, SCENARIOS);
    const initiating = list<Department>('initiatingDepartments', 'department', measure.initiatingDepartments, DEPARTMENTS);

    if (kindKnown) {
      const polarity = measure.kind === 'INCENTIVE' ? 'CREDITWORTHY' : 'ADVERSE';
      const wrong = triggers.filter((trigger) => TRIGGERS[trigger].polarity !== polarity);
      if (wrong.length > 0) {
        problem(`${measure.kind === 'INCENTIVE' ? 'an incentive' : 'a punishment'} cannot be triggered by ${wrong.join(', ')} (${polarity === 'ADVERSE' ? 'creditworthy' : 'adverse'} records)`);
      }
    }
    // The initiating departments are the departments whose records the triggers are.
    if (triggers.length > 0 && initiating.length > 0) {
      const extra = initiating.filter((department) => !triggers.some((trigger) => (TRIGGERS[trigger].departments as readonly string[]).includes(department)));
      if (extra.length > 0) problem(`initiating department ${extra.join(', ')} holds none of the records that trigger it (${triggers.join(', ')})`);
      const orphan = triggers.filter((trigger) => !TRIGGERS[trigger].departments.some((department) => initiating.includes(department)));
      for (const trigger of orphan) {
        problem(`no initiating department for trigger ${trigger} (its records are held by ${TRIGGERS[trigger].departments.join(', ')})`);
      }
    }

    if (!Array.isArray(measure.implementingDepartments) || measure.implementingDepartments.length === 0) {
      problem('implementingDepartments is empty: at least one is required');
    } else if (measure.implementingDepartments.some((department: unknown) => !isNonEmptyString(department))) {
      problem('implementingDepartments holds an empty name');
    }

    const period = measure.periodMonths;
    if (period !== undefined && period !== null && (!Number.isInteger(period) || period < 1 || period > MAX_PERIOD_MONTHS)) {
      problem(`periodMonths must be a whole number of months from 1 to ${MAX_PERIOD_MONTHS}, or null (while the record is in force), got ${period}`);
    }
  });
  return problems;
}

/**
 * Publishes a whole new catalogue version (every measure) in one transaction
 * and returns it; it becomes the latest. An invalid input is refused with
 * BAD_USER_INPUT naming every problem (`extensions.problems`), and nothing
 * is written.
 */
export async function publishCatalogue(db: Database, input: PublishCatalogueInput, publishedBy: string): Promise<Catalogue> {
  const problems = catalogueProblems(input);
  if (problems.length > 0) {
    throw badUserInput(`measure catalogue not published: ${problems.join('; ')}`, { problems });
  }
  const version = await db.transaction(async (tx) => {
    // Two publications at once: the second waits, then takes the next number.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${db.schema}.catalogue_version`]);
    const latest = await latestVersion(tx);
    const corrects = input.corrects ?? null;
    // No version may punish less than the one in force, nor a correction less than the version before it (policy/catalogue.ts).
    const floorVersion = weakeningFloor(latest, corrects);
    if (floorVersion === undefined) {
      throw badUserInput(`measure catalogue not published: only the version in force (${latest}) can be corrected, and not the first, got corrects: ${corrects}`, { reason: 'NOT_CORRECTABLE', field: 'corrects' });
    }
    const floor = floorVersion === null ? null : await readVersion(tx, floorVersion);
    const weakenings = floor ? catalogueWeakenings(floor.measures, input.measures) : [];
    if (weakenings.length > 0) {
      throw badUserInput(`measure catalogue not published: it would punish less than version ${floorVersion}: ${weakenings.join('; ')}`, { reason: 'WEAKENS_CATALOGUE', problems: weakenings });
    }
    const next = (latest ?? 0) + 1;
    await tx.query('INSERT INTO catalogue_version (version, note, published_by, corrects) VALUES ($1, $2, $3, $4)', [next, input.note.trim(), publishedBy, corrects]);
    for (const measure of input.measures) {
      await tx.query(
        `INSERT INTO measure (version, code, name, description, kind, mandatory, channel, effect, triggers, scenarios,
                              initiating_departments, implementing_departments, person_level, legal_basis, period_months)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          next,
          measure.code,
          measure.name.trim(),
          measure.description.trim(),
          measure.kind,
          measure.mandatory,
          measure.channel,
          measure.effect,
          inOrder(TRIGGER_NAMES, measure.triggers),
          inOrder(SCENARIOS, measure.scenarios),
          inOrder(DEPARTMENTS, measure.initiatingDepartments),
          measure.implementingDepartments.map((department) => department.trim()),
          measure.personLevel,
          measure.legalBasis.trim(),
          measure.periodMonths ?? null,
        ],
      );
    }
    return next;
  });
  return catalogueVersion(db, version);
}
