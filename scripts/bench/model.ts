/** What the benchmark measures and the shape of its results (.bench/results.json). */

export type ContenderKey = 'stock' | 'hive' | 'off' | 'warm' | 'bare';
export type CaseKey = 'profile-varied' | 'profile-same' | 'check-varied' | 'check-same' | 'batch';

export const CONTENDERS: Record<ContenderKey, { label: string; short: string; colour: string }> = {
  stock: { label: 'stock Apollo Gateway 2.14 (no cache, default fetcher)', short: 'stock Apollo Gateway', colour: '#8c8c8c' },
  hive: { label: 'Hive Gateway 2.15.1', short: 'Hive Gateway', colour: '#e3a21a' },
  off: { label: 'our gateway, cache off (CACHE=off)', short: 'ours, cache off', colour: '#4e79a7' },
  warm: { label: 'our gateway, cache warm', short: 'ours, cache warm', colour: '#59a14f' },
  bare: { label: 'bare Node http server, same bytes (ceiling)', short: 'bare Node (ceiling)', colour: '#b07aa1' },
};

export const CASES: Record<CaseKey, { label: string; short: string }> = {
  'profile-varied': { label: 'full profile, different subject', short: 'profile, varied' },
  'profile-same': { label: 'full profile, same subject', short: 'profile, same' },
  'check-varied': { label: 'credit check, different subject', short: 'check, varied' },
  'check-same': { label: 'credit check, same subject', short: 'check, same' },
  batch: { label: '1,000-bidder creditChecks, warm', short: '1,000 bidders' },
};

export interface Measurement {
  case: CaseKey;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Non-2xx answers, connection errors, timeouts and answers with GraphQL errors. */
  failed: number;
  /** Peak resident memory of the contender's process during this measurement. */
  peakRssBytes: number;
  /** Share of the machine's CPU that processes outside the benchmark used during this measurement (0–1). */
  otherCpu: number;
  /** The first answer with GraphQL errors during the measurement, if any. */
  firstError?: string;
}

export interface ContenderResult {
  contender: ContenderKey;
  /** Set when the contender could not run here: the error. */
  unavailable?: string;
  /** The first 1,000-bidder batch after the process started. */
  batchColdMs?: number;
  measurements: Measurement[];
  /** Peak resident memory over the contender's whole run. */
  peakRssBytes: number;
}

export interface BenchResults {
  date: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string; os: string };
  settings: {
    subjects: number;
    seed: number;
    duration: number;
    warmup: number;
    connections: number;
    rotation: number;
    database: string;
    seconds: number;
  };
  cases: typeof CASES;
  results: ContenderResult[];
}
