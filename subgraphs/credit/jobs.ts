/**
 * The credit office's scheduled job: what becomes true by the calendar alone,
 * with nobody to report it — a commitment that obtained 容缺受理 and was not
 * fulfilled by its deadline is breached (workflows/commitments.ts), a
 * rectification still open after its deadline puts the subject under key
 * attention (rectification.ts). It runs when the credit subgraph starts and
 * every SCHEDULED_JOBS_INTERVAL_MS (default hourly; 0: never) after; every
 * step is a conditional update, so two instances running it at once, or a
 * run repeated, change nothing twice. The subjects it changed are announced
 * to the gateways' caches (lib/invalidation.ts) like any write.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../lib/db';
import { todayInChina } from '../../lib/clock';
import { publishInvalidation } from '../../lib/invalidation';
import { breachOverdueCommitments } from './workflows/commitments';
import { listOverdueRectifications } from './rectification';

export const DEFAULT_JOB_INTERVAL_MS = 3_600_000;

/** One run on `today`: the subjects whose records it changed. */
export async function runScheduledJobs(db: Database, today: string = todayInChina()): Promise<string[]> {
  const breached = await breachOverdueCommitments(db, today);
  const overdue = await listOverdueRectifications(db, today);
  return [...new Set([...breached, ...overdue])];
}

function intervalFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.SCHEDULED_JOBS_INTERVAL_MS;
  if (raw === undefined || raw === '') return DEFAULT_JOB_INTERVAL_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`SCHEDULED_JOBS_INTERVAL_MS must be a whole number of milliseconds >= 0, got '${raw}'`);
  return value;
}

/** Starts the job with the app (after it is ready) and stops it when the app closes. */
export function scheduleJobs(app: FastifyInstance, db: Database, env: NodeJS.ProcessEnv = process.env): void {
  const interval = intervalFrom(env);
  if (interval === 0) return;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const run = () => {
    running = (async () => {
      try {
        const changed = await runScheduledJobs(db);
        if (changed.length > 0) {
          app.log.info({ subjects: changed.length }, 'scheduled job changed subjects');
          await publishInvalidation(changed, env);
        }
      } catch (error) {
        app.log.error({ err: error }, 'scheduled job failed; it runs again at the next interval');
      }
    })();
  };
  app.addHook('onReady', async () => {
    run();
    timer = setInterval(run, interval);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    await running;
  });
}
