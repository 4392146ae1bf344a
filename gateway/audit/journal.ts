/**
 * The gateway's audit journal: a local append-only file of audit entries,
 * written before the answer they describe is sent. Appends are grouped:
 * whatever entries arrive while one write (and its fdatasync) is under way
 * go out together in the next, so a burst of requests costs one disk flush,
 * not one each; an entry's append resolves once the flush that carries it
 * returned.
 *
 * Lines: `E<entry JSON>` an entry to deliver; `S<entry JSON>` the latest
 * state of an aggregate still open (the refusals of one address in a
 * minute), read only when recovering from a crash, where the last snapshot
 * of an aggregate that never closed stands for it. A line torn by a crash
 * mid-write was never flushed, so its answer was never sent: it is skipped.
 *
 * Files: `journal-<pid>-<instance>-<n>.jsonl` in the journal directory,
 * rotated at `segmentBytes`. The writer (writer.ts) reads its own segments
 * back to deliver them and removes each once delivered; a new process
 * recovers the segments of processes that are gone.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AuditEntry } from '../../lib/audit-entry';

export type JournalLine = { kind: 'E' | 'S'; entry: AuditEntry };

export interface JournalSegment {
  file: string;
  /** Bytes flushed so far: a reader stops there. */
  committedBytes: number;
  /** No more lines will be appended. */
  closed: boolean;
}

export interface AuditJournalOptions {
  dir: string;
  /** A segment is closed and a new one started beyond this size (default 16 MB). */
  segmentBytes?: number;
  /** fdatasync after each grouped write (default true): entries survive a power cut, not only a crash of the process. */
  sync?: boolean;
  /** Lines written first into each new segment (the open aggregates' snapshots, so a closed segment never holds the only one). */
  carryOver?: () => string[];
}

const SEGMENT = /^journal-(\d+)-([0-9a-z]+)-(\d+)\.jsonl$/;

export function journalLine(kind: 'E' | 'S', entry: AuditEntry): string {
  return `${kind}${JSON.stringify(entry)}\n`;
}

export function parseJournalLine(line: string): JournalLine | null {
  const kind = line[0];
  if (kind !== 'E' && kind !== 'S') {
    // An entry of the earlier spool format (plain JSON lines).
    if (kind !== '{') return null;
    try {
      return { kind: 'E', entry: JSON.parse(line) as AuditEntry };
    } catch {
      return null;
    }
  }
  try {
    return { kind, entry: JSON.parse(line.slice(1)) as AuditEntry };
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Segments left by processes that are gone (this pid with another instance is a restart in a container), oldest first. */
export function abandonedSegments(dir: string, instance: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((name) => ({ name, match: SEGMENT.exec(name) }))
    .filter(({ match }) => match !== null && (Number(match[1]) === process.pid ? match[2] !== instance : !alive(Number(match[1]))))
    .sort((a, b) => fs.statSync(path.join(dir, a.name)).mtimeMs - fs.statSync(path.join(dir, b.name)).mtimeMs || a.name.localeCompare(b.name))
    .map(({ name }) => path.join(dir, name));
}

export class AuditJournal {
  readonly instance = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  private readonly segmentBytes: number;
  private readonly sync: boolean;
  /** This process's segments not yet removed, oldest first; the last is the one appended to. */
  readonly segments: JournalSegment[] = [];
  private handle: fs.promises.FileHandle | undefined;
  private counter = 0;
  /** Lines waiting for the next write; a keyed line replaces the pending line with the same key (one snapshot per aggregate per write). */
  private pending: string[] = [];
  private pendingKeys = new Map<string, number>();
  private waiters: { resolve(): void; reject(error: Error): void }[] = [];
  private committing: Promise<void> | null = null;
  private readonly listeners = new Set<() => void>();
  private closed = false;
  /** Grouped writes (each one write and one flush) so far. */
  writes = 0;

  constructor(private readonly options: AuditJournalOptions) {
    this.segmentBytes = options.segmentBytes ?? 16 * 1024 * 1024;
    this.sync = options.sync ?? true;
    fs.mkdirSync(options.dir, { recursive: true });
  }

  /**
   * Appends a line; resolves once it is on disk (flushed with fdatasync
   * unless `sync` is off). A line with a `key` replaces a line with the same
   * key still waiting for the write (a newer snapshot of the same aggregate).
   */
  append(line: string, key?: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the audit journal is closed'));
    return new Promise<void>((resolve, reject) => {
      const at = key === undefined ? undefined : this.pendingKeys.get(key);
      if (at !== undefined) this.pending[at] = line;
      else {
        if (key !== undefined) this.pendingKeys.set(key, this.pending.length);
        this.pending.push(line);
      }
      this.waiters.push({ resolve, reject });
      this.committing ??= this.commitAll();
    });
  }

  /** Called after every flush (the writer delivers what was flushed). */
  onCommit(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async commitAll(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const lines = this.pending;
        const waiters = this.waiters;
        this.pending = [];
        this.pendingKeys = new Map();
        this.waiters = [];
        try {
          await this.write(lines.join(''));
          for (const waiter of waiters) waiter.resolve();
        } catch (error) {
          for (const waiter of waiters) waiter.reject(error as Error);
        }
        for (const listener of this.listeners) listener();
      }
    } finally {
      this.committing = null;
    }
  }

  private async write(text: string): Promise<void> {
    let segment = this.segments[this.segments.length - 1];
    if (!segment || segment.closed || !this.handle || segment.committedBytes >= this.segmentBytes) segment = await this.rotate();
    const bytes = Buffer.from(text);
    let written = 0;
    while (written < bytes.length) written += (await this.handle!.write(bytes, written, bytes.length - written)).bytesWritten;
    if (this.sync) await this.handle!.datasync();
    segment.committedBytes += bytes.length;
    this.writes += 1;
  }

  /** Closes the current segment and opens the next, starting with the carried-over lines. */
  private async rotate(): Promise<JournalSegment> {
    const current = this.segments[this.segments.length - 1];
    if (current) current.closed = true;
    await this.handle?.close();
    const file = path.join(this.options.dir, `journal-${process.pid}-${this.instance}-${++this.counter}.jsonl`);
    this.handle = await fs.promises.open(file, 'a');
    const segment: JournalSegment = { file, committedBytes: 0, closed: false };
    this.segments.push(segment);
    const carried = this.options.carryOver?.() ?? [];
    if (carried.length > 0) {
      const bytes = Buffer.from(carried.join(''));
      await this.handle.write(bytes);
      segment.committedBytes += bytes.length;
    }
    return segment;
  }

  /** Closes the current segment, so that it can be delivered to its end and removed. */
  async seal(): Promise<void> {
    await this.committing;
    const current = this.segments[this.segments.length - 1];
    if (current && !current.closed) {
      current.closed = true;
      await this.handle?.close();
      this.handle = undefined;
    }
  }

  /** Removes a delivered segment (never the one being appended to). */
  async remove(segment: JournalSegment): Promise<void> {
    if (!segment.closed) return;
    const at = this.segments.indexOf(segment);
    if (at >= 0) this.segments.splice(at, 1);
    await fs.promises.rm(segment.file, { force: true });
    await fs.promises.rm(`${segment.file}.delivered`, { force: true });
  }

  /** Waits for pending appends, then closes the file; what is on disk stays for the next start. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.committing;
    this.closed = true;
    const current = this.segments[this.segments.length - 1];
    if (current) current.closed = true;
    await this.handle?.close();
    this.handle = undefined;
  }
}

/**
 * Reads a segment's whole lines between two byte offsets (a reader never
 * reads past what was flushed). Resolves with the lines and the offset after
 * the last whole line.
 */
export async function readLines(file: string, from: number, to: number, maxLines: number): Promise<{ lines: string[]; next: number }> {
  if (to <= from) return { lines: [], next: from };
  const handle = await fs.promises.open(file, 'r');
  try {
    const lines: string[] = [];
    let next = from;
    let carry = Buffer.alloc(0);
    let offset = from;
    const chunk = Buffer.alloc(Math.min(1024 * 1024, to - from));
    while (offset < to && lines.length < maxLines) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, to - offset), offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      // Split on the newline byte, which never occurs inside a UTF-8 sequence.
      let data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : Buffer.from(chunk.subarray(0, bytesRead));
      let end: number;
      while (lines.length < maxLines && (end = data.indexOf(0x0a)) >= 0) {
        lines.push(data.subarray(0, end).toString('utf8'));
        next += end + 1;
        data = data.subarray(end + 1);
      }
      carry = data;
    }
    return { lines, next };
  } finally {
    await handle.close();
  }
}
