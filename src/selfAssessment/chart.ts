/**
 * One chart per theme of a round's result, drawn on the server with Observable Plot into a light
 * DOM (linkedom), so the page shows it before any script runs. Each principle is a row: a line
 * from the lowest to the highest rating (the spread), a dot per rating sized by how many gave it,
 * and a tick at the average (and a hollow one at the earlier round's). The table beside it carries
 * the same numbers, so nothing rests on the picture or its colours alone.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { ThemeResult } from './schemas';

// Plot types its option with the DOM's Document, which this Node project's types do not include;
// linkedom's document is one in all but name.
const lightDocument: unknown = (parseHTML('<!DOCTYPE html><html><body></body></html>') as { document: unknown }).document;

/** "P1", "P2", …: the table says which principle each is. */
export const principleLabel = (principleId: string) => `P${principleId.split('.')[1] ?? ''}`;

export function themeChartSvg(theme: ThemeResult, earlier: ReadonlyMap<string, number | null>): string {
  const rows = theme.principles.map((p) => {
    const given = p.ratings.flatMap((r) => (r.rating === null ? [] : [r.rating]));
    return { label: principleLabel(p.principleId), min: given.length ? Math.min(...given) : null, max: given.length ? Math.max(...given) : null, average: p.average, earlier: earlier.get(p.principleId) ?? null };
  });
  const dots = theme.principles.flatMap((p) => {
    const counts = new Map<number, number>();
    for (const r of p.ratings) if (r.rating !== null) counts.set(r.rating, (counts.get(r.rating) ?? 0) + 1);
    return [...counts].map(([rating, count]) => ({ label: principleLabel(p.principleId), rating, count }));
  });
  const labels = rows.map((r) => r.label);
  const ranged = rows.filter((r) => r.min !== null && r.max !== null);
  const averaged = rows.filter((r) => r.average !== null);
  const before = rows.filter((r) => r.earlier !== null);
  const svg = Plot.plot({
    document: lightDocument as never,
    width: 640,
    height: 60 + labels.length * 44,
    marginLeft: 48,
    style: { fontSize: '14px', background: 'transparent' },
    ariaLabel: `Vurderinger af principperne i temaet ${theme.title}`,
    ariaDescription: 'Spredning, vurderinger og gennemsnit pr. princip på skalaen 1 til 5. Tallene står i tabellen under.',
    x: { domain: [1, 5], ticks: [1, 2, 3, 4, 5], label: 'Vurdering (1–5)', grid: true },
    y: { domain: labels, label: null },
    r: { range: [4, 11] },
    marks: [
      Plot.ruleY(ranged, { y: 'label', x1: 'min', x2: 'max', stroke: '#5a5a5a', strokeWidth: 2 }),
      Plot.dot(dots, { y: 'label', x: 'rating', r: 'count', fill: '#0059b3', fillOpacity: 0.75, stroke: 'white' }),
      Plot.tickX(averaged, { y: 'label', x: 'average', stroke: '#b3001b', strokeWidth: 4 }),
      Plot.tickX(before, { y: 'label', x: 'earlier', stroke: '#1a1a1a', strokeWidth: 2, strokeDasharray: '3,2' }),
    ],
  }) as unknown as { outerHTML: string; setAttribute(name: string, value: string): void };
  // An image with a name for screen readers; the numbers themselves are in the table.
  svg.setAttribute('role', 'img');
  // Plot names each mark's group too; inside an image those names are not allowed (axe), and the
  // image's own name says it all.
  return svg.outerHTML.replace(/(<g\b[^>]*?)\s+aria-label="[^"]*"/g, '$1');
}
