/**
 * Administrative penalties: which serious penalties black-list a subject,
 * and how long a penalty is published.
 *
 * Source: DESIGN.md «The credit platform's rules»: the black list holds
 * "serious penalties in food/drug, environment, construction, work safety,
 * fire"; "publication ends by itself after at most 3 years" (国家发展改革委
 * 《关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知》:
 * ordinary penalties one year, serious ones three).
 */
import type { Department } from '../vocabulary';

/**
 * Market penalty areas whose serious penalties black-list a subject. Special
 * equipment (特种设备) is work safety: its accidents are safety accidents,
 * and its repair minimum is the work-safety one (policy/repair.ts).
 */
export const BLACK_LIST_PENALTY_AREAS: ReadonlySet<string> = new Set(['FOOD_AND_DRUG', 'CONSTRUCTION', 'WORK_SAFETY', 'SPECIAL_EQUIPMENT', 'FIRE_SAFETY']);

export interface PenaltyFacts {
  serious: boolean;
  /** The market's PenaltyArea; environmental penalties have none (their area is the environment). */
  area?: string | null;
}

/**
 * Whether a penalty black-lists its subject: a serious penalty in a black-list
 * area. Every serious environmental penalty is in one (the environment).
 */
export function isBlackListPenalty(department: Department, penalty: PenaltyFacts): boolean {
  if (!penalty.serious) return false;
  if (department === 'ENVIRONMENT') return true;
  return department === 'MARKET' && BLACK_LIST_PENALTY_AREAS.has(String(penalty.area));
}

/** The trigger a published penalty in force is. */
export const penaltyTrigger = (department: Department, penalty: PenaltyFacts): 'SERIOUS_PENALTY' | 'ADMINISTRATIVE_PENALTY' =>
  isBlackListPenalty(department, penalty) ? 'SERIOUS_PENALTY' : 'ADMINISTRATIVE_PENALTY';

/** Years a penalty is published before publication ends by itself: three for a serious one, one otherwise. */
export const penaltyPublicationYears = (serious: boolean): number => (serious ? 3 : 1);
