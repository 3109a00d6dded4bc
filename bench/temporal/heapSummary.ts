/**
 * `node --import tsx bench/temporal/heapSummary.ts BEFORE.heapsnapshot AFTER.heapsnapshot N`
 *
 * What N more cached workflows hold, from two V8 heap snapshots of the measured worker (written
 * by `BENCH_HEAP_SNAPSHOTS=DIR npm run bench -- temporal --only memory`, workflows on the main
 * thread): the growth of retained self size by node kind and constructor name, per workflow,
 * largest first. Self sizes only (no retainer analysis): enough to see which objects multiply.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

function totals(file: string): Map<string, { bytes: number; count: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snap.snapshot.meta.node_types[0];
  const out = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt] ?? 0] ?? '?';
    const rawName = snap.strings[snap.nodes[i + nameAt] ?? 0] ?? '';
    // Strings and code are named by their content; group those by kind alone.
    const name = type === 'object' || type === 'closure' || type === 'native' ? rawName.slice(0, 60) : '';
    const key = `${type}${name ? ` ${name}` : ''}`;
    const entry = out.get(key) ?? { bytes: 0, count: 0 };
    entry.bytes += snap.nodes[i + sizeAt] ?? 0;
    entry.count += 1;
    out.set(key, entry);
  }
  return out;
}

const [beforeFile, afterFile, nText] = process.argv.slice(2);
if (!beforeFile || !afterFile || !nText) {
  process.stderr.write('usage: heapSummary.ts BEFORE AFTER N\n');
  process.exit(2);
}
const n = Number(nText);
const before = totals(beforeFile);
const after = totals(afterFile);
const rows = [...after.entries()]
  .map(([key, a]) => {
    const b = before.get(key) ?? { bytes: 0, count: 0 };
    return { key, bytes: (a.bytes - b.bytes) / n, count: (a.count - b.count) / n };
  })
  .sort((p, q) => q.bytes - p.bytes);
const all = rows.reduce((sum, row) => sum + row.bytes, 0);
process.stdout.write(`heap growth per workflow: ${(all / 1024).toFixed(1)} KB (self sizes, ${n} workflows)\n`);
for (const row of rows.slice(0, 40)) {
  process.stdout.write(`${(row.bytes / 1024).toFixed(1).padStart(8)} KB  ${row.count.toFixed(1).padStart(8)} objects  ${row.key}\n`);
}
