/**
 * Credit repair (信用修复): which records can be repaired, and from when.
 *
 * Source: 柴桑 (二十) (credit repair, repair notice 修复说明予以公示); DESIGN.md
 * «The credit platform's rules»: "Administrative-penalty publication: repair
 * possible after a minimum period (3 months; 1 year for special equipment,
 * work safety, fire safety)"; 《市场监督管理严重违法失信名单管理办法》
 * (总局令第44号) 第十六条: one year on the serious illegal and dishonest list;
 * the abnormal operations list ends once the cause is corrected. A breached
 * commitment (black list) is repaired like a penalty: three months after the
 * breach, once the subject has fulfilled it ("every punishment has an exit").
 */
import { addMonths, addWorkingDays } from './calendar';

export const REPAIRABLE_RECORD_KINDS = ['ADMINISTRATIVE_PENALTY', 'SERIOUS_PENALTY', 'ABNORMAL_OPERATIONS', 'SERIOUS_VIOLATION_LIST', 'COMMITMENT_BREACH'] as const;
export type RepairableRecordKind = (typeof REPAIRABLE_RECORD_KINDS)[number];

export const REPAIR_AREAS = [
  'FOOD_AND_DRUG',
  'CONSTRUCTION',
  'WORK_SAFETY',
  'FIRE_SAFETY',
  'SPECIAL_EQUIPMENT',
  'PRODUCT_QUALITY',
  'ADVERTISING',
  'PRICE',
  'UNFAIR_COMPETITION',
  'ENVIRONMENT',
  'OTHER',
] as const;
export type RepairArea = (typeof REPAIR_AREAS)[number];

/** Areas where a penalty's publication runs at least one year before it can be repaired. */
export const ONE_YEAR_AREAS: ReadonlySet<RepairArea> = new Set(['SPECIAL_EQUIPMENT', 'WORK_SAFETY', 'FIRE_SAFETY']);

/** The minimum period, in months from publication (or breach), before a record can be repaired. */
export function minimumMonths(kind: RepairableRecordKind, area: RepairArea): number {
  switch (kind) {
    case 'ADMINISTRATIVE_PENALTY':
    case 'SERIOUS_PENALTY':
      return ONE_YEAR_AREAS.has(area) ? 12 : 3;
    case 'SERIOUS_VIOLATION_LIST':
      return 12;
    case 'COMMITMENT_BREACH':
      return 3;
    case 'ABNORMAL_OPERATIONS':
      return 0;
  }
}

/** The first day a record published on `publishedOn` can be repaired. */
export const eligibleFrom = (kind: RepairableRecordKind, area: RepairArea, publishedOn: string): string =>
  addMonths(publishedOn, minimumMonths(kind, area));

/**
 * The repair notice (修复说明予以公示, 柴桑 (二十)): once a repair is approved
 * the record's publication ends at once and a notice — who, which record,
 * when, which rectification — is published instead, for this many working
 * days from the decision. The seeds require the notice but name no period;
 * seven working days is the publication period the seeds set for decisions
 * (甘州 二(三), double publicity within seven working days), to be confirmed
 * by the credit office (one constant: change it here).
 */
export const REPAIR_NOTICE_WORKING_DAYS = 7;

/** The last day (China date) the notice of a repair decided on `decidedOn` is published. */
export const repairNoticeUntil = (decidedOn: string): string => addWorkingDays(decidedOn, REPAIR_NOTICE_WORKING_DAYS);
