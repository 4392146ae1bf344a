/**
 * The services' JavaScript: every TypeScript file the processes of the graph
 * load (lib/, gateway/, subgraphs/, web/) transpiled by esbuild, file for
 * file, into `.build/<hash>/` beside the sources. Running plain JavaScript
 * instead of TypeScript through tsx's loader saves each of the six services
 * the loader's thread and its transform cache (~40 MB resident apiece) and
 * some start-up time; it takes a fraction of a second, and a build whose
 * sources have not changed is reused.
 *
 * The directory is named after the sources' paths, sizes and modification
 * times and filled atomically (built aside, then renamed), so test workers
 * and a demo building at the same moment never see half a build.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { ROOT_DIR } from '../lib/config';

const SOURCE_DIRS = ['lib', 'gateway', 'subgraphs', 'web'];
export const BUILD_DIR = path.join(ROOT_DIR, '.build');

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(full);
    }
  };
  for (const dir of SOURCE_DIRS) if (fs.existsSync(path.join(ROOT_DIR, dir))) walk(path.join(ROOT_DIR, dir));
  return files.sort();
}

let built: Promise<string> | undefined;

/** The directory holding the current sources' JavaScript (built now if needed), mirroring the repository's layout. */
export function buildServices(): Promise<string> {
  built ??= (async () => {
    const files = sourceFiles();
    const hash = crypto.createHash('sha256');
    for (const file of files) {
      const stat = fs.statSync(file);
      hash.update(`${path.relative(ROOT_DIR, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
    const target = path.join(BUILD_DIR, hash.digest('hex').slice(0, 16));
    if (fs.existsSync(target)) return target;
    const partial = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    await build({
      entryPoints: files,
      outdir: partial,
      outbase: ROOT_DIR,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
    });
    try {
      fs.renameSync(partial, target);
    } catch {
      fs.rmSync(partial, { recursive: true, force: true }); // another process built the same sources first
    }
    pruneOldBuilds(target);
    return target;
  })();
  return built;
}

/** Builds of older sources, a day or more old, go (a running demo may still use a recent one). */
function pruneOldBuilds(keep: string): void {
  const dayAgo = Date.now() - 86_400_000;
  for (const entry of fs.readdirSync(BUILD_DIR)) {
    const full = path.join(BUILD_DIR, entry);
    if (full !== keep && fs.statSync(full).mtimeMs < dayAgo) fs.rmSync(full, { recursive: true, force: true });
  }
}
