/**
 * Seeding with the embedded stores (the dev server's SQLite file and PGlite in DATA_DIR) must not
 * run beside `npm start` on the same DATA_DIR: neither store may be opened by two processes, and
 * neither stops a second one (PGlite's postmaster.pid holds no real pid). A running service keeps
 * files of both open, so this looks for them among the open files of this user's processes
 * (Linux /proc; elsewhere it finds nothing and the warning printed by the seed script remains).
 */
import { readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** Pids of other processes holding open a file for which `wanted(path)` is true. */
export function processesHolding(wanted: (file: string) => boolean): number[] {
  const holders: number[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return holders;
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process, or gone
    }
    for (const fd of fds) {
      try {
        if (wanted(readlinkSync(`/proc/${pid}/fd/${fd}`))) {
          holders.push(Number(pid));
          break;
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  return holders;
}

/** Throws when another process has the embedded stores this run would open in `dataDir`. */
export function assertDataDirFree(dataDir: string, uses: { temporal: boolean; pglite: boolean }): void {
  const root = path.resolve(dataDir);
  const sqlite = path.join(root, 'temporal.sqlite');
  const pgliteDir = `${path.join(root, 'pglite')}${path.sep}`;
  const holders = processesHolding(
    (file) => (uses.temporal && (file === sqlite || file === `${sqlite}-wal`)) || (uses.pglite && file.startsWith(pgliteDir)),
  );
  if (holders.length > 0) {
    throw new Error(
      `the embedded stores in ${root} are open in another process (pid ${holders.join(', ')}), probably \`npm start\`. ` +
        'Stop it before seeding this DATA_DIR, or seed a running service through its own Temporal and ' +
        'PostgreSQL (TEMPORAL_ADDRESS and DATABASE_URL).',
    );
  }
}
