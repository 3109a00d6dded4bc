/**
 * The analytics charts, drawn with Observable Plot on the server (on linkedom's light DOM), so
 * the page shows them before any script runs and the SVG is part of the HTML the test reads.
 * Every chart carries its name for screen readers; the numbers themselves are in the table
 * beside it, never in colour alone.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

/** Plot needs a document to build in; one light document serves every chart. */
// The DOM's types are not part of this project's compile, so Plot's and linkedom's signatures
// that name them are opaque here; the values are passed through as plain objects.
const lightDom = parseHTML('<!DOCTYPE html><html><body></body></html>') as unknown as { document: object };
const plotDocument: object = lightDom.document;

/** What we use of the element Plot returns (the project compiles without the DOM's types). */
interface Drawn {
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  readonly outerHTML: string;
}

// DKFDS's own colours: dark blue for the measure, grey for ranges.
const INK = '#1a1a1a';
const BOX = '#b3cde6';
const BAR = '#0059b3';

/** Plot.plot, seen as returning the element we read. */
const plotted = Plot.plot as unknown as (options: Record<string, unknown>) => Drawn;

function svgOf(chart: Drawn, label: string): string {
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', label);
  chart.removeAttribute('aria-hidden');
  // Plot names its mark groups with aria-label; inside an image those names are not allowed (and
  // the table says the same), so only the image's own name is kept.
  const html = chart.outerHTML;
  const rootEnd = html.indexOf('>') + 1;
  return html.slice(0, rootEnd) + html.slice(rootEnd).replace(/ aria-(label|description)="[^"]*"/g, '');
}

/** Room for the longest row name at the chart's left (about 7 px a character at 13 px). */
function leftMargin(names: readonly string[]): number {
  return Math.min(240, Math.max(80, 12 + 7 * Math.max(0, ...names.map((name) => name.length))));
}

export interface BoxRow {
  /** The row's name: "Hele kommunen" or a school. */
  name: string;
  q1: number | null;
  median: number | null;
  q3: number | null;
  p90: number | null;
}

/**
 * Days in one phase as box plots from the API's figures: the box from first to third quartile,
 * a thick tick at the median, the whisker from the box out to the 90th percentile. Rows without
 * ended spans have no box (the table says "–").
 */
export function boxPlotSvg(rows: readonly BoxRow[], label: string): string {
  const drawn = rows.filter((row) => row.median !== null);
  const names = rows.map((row) => row.name);
  const chart = plotted({
    document: plotDocument,
    width: 640,
    height: 40 + 28 * Math.max(rows.length, 1),
    marginLeft: leftMargin(names),
    style: { fontSize: '13px', color: INK },
    x: { label: 'Kalenderdage i fasen', grid: true, zero: true },
    y: { label: null, domain: names },
    marks: [
      Plot.ruleY(drawn, { y: 'name', x1: 'q3', x2: 'p90', stroke: INK }),
      Plot.tickX(drawn, { y: 'name', x: 'p90', stroke: INK }),
      Plot.barX(drawn, { y: 'name', x1: 'q1', x2: 'q3', fill: BOX, stroke: INK, insetTop: 4, insetBottom: 4 }),
      Plot.tickX(drawn, { y: 'name', x: 'median', stroke: INK, strokeWidth: 3 }),
    ],
  });
  return svgOf(chart, label);
}

export interface BarRow {
  name: string;
  value: number;
}

/** Horizontal bars with the value written at each bar's end; `percent` formats 0–1 as %. */
export function barSvg(rows: readonly BarRow[], label: string, options: { percent?: boolean; xLabel: string }): string {
  const format = options.percent
    ? (value: number) => `${(value * 100).toLocaleString('da-DK', { maximumFractionDigits: 1 })} %`
    : (value: number) => value.toLocaleString('da-DK');
  // Counts are whole numbers on an axis that starts at 0 and never collapses (all zero).
  const top = Math.max(1, ...rows.map((row) => row.value));
  const countAxis = { domain: [0, top], ticks: Math.min(top, 5), tickFormat: 'd' };
  const chart = plotted({
    document: plotDocument,
    width: 640,
    height: 40 + 28 * Math.max(rows.length, 1),
    marginLeft: leftMargin(rows.map((row) => row.name)),
    marginRight: 60,
    style: { fontSize: '13px', color: INK },
    x: { label: options.xLabel, grid: true, ...(options.percent ? { domain: [0, 100], percent: true } : countAxis) },
    y: { label: null, domain: rows.map((row) => row.name) },
    marks: [
      Plot.barX(rows, { y: 'name', x: 'value', fill: BAR, insetTop: 4, insetBottom: 4 }),
      Plot.text(rows, { y: 'name', x: 'value', text: (row: BarRow) => format(row.value), textAnchor: 'start', dx: 4, fill: INK }),
      Plot.ruleX([0], { stroke: INK }),
    ],
  });
  return svgOf(chart, label);
}
