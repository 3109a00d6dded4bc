/**
 * The case page's week-by-week attendance as a small SVG drawn on the server: one bar per week,
 * its height the share of school days present. An image with one name; the numbers themselves
 * are in the table beside it, so nothing rests on the picture alone.
 */
import type { WeekFigures } from '../school/schemas';

const WIDTH = 640;
const HEIGHT = 180;
const LEFT = 44;
const BOTTOM = 28;
const TOP = 10;
const BAR = '#0059b3';
const INK = '#1a1a1a';
const GRID = '#dcdcdc';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `2026-10-05` → ISO week number (the label Danish schools use). */
export function isoWeek(monday: string): number {
  const date = new Date(`${monday}T00:00:00Z`);
  const thursday = new Date(date.getTime() + 3 * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return Math.floor((thursday.getTime() - yearStart) / 86_400_000 / 7) + 1;
}

export function attendanceChart(weeks: readonly WeekFigures[]): string | undefined {
  if (weeks.length === 0) return undefined;
  const plotWidth = WIDTH - LEFT - 8;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const step = plotWidth / weeks.length;
  const barWidth = Math.max(2, Math.min(28, step * 0.7));
  const y = (share: number) => TOP + plotHeight * (1 - share);
  const parts: string[] = [];
  for (const tick of [0, 0.5, 0.9, 1]) {
    parts.push(`<line x1="${LEFT}" x2="${WIDTH - 8}" y1="${y(tick)}" y2="${y(tick)}" stroke="${GRID}"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${y(tick) + 4}" text-anchor="end" font-size="11" fill="${INK}">${Math.round(tick * 100)} %</text>`);
  }
  // Every week gets a label when there is room, else every few weeks.
  const labelEvery = Math.max(1, Math.ceil(weeks.length / 16));
  weeks.forEach((week, index) => {
    const x = LEFT + index * step + (step - barWidth) / 2;
    if (week.attendanceShare !== null) {
      const top = y(week.attendanceShare);
      parts.push(`<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(TOP + plotHeight - top).toFixed(1)}" fill="${BAR}"/>`);
    }
    if (index % labelEvery === 0) {
      parts.push(`<text x="${(x + barWidth / 2).toFixed(1)}" y="${HEIGHT - 10}" text-anchor="middle" font-size="11" fill="${INK}">${isoWeek(week.weekStart)}</text>`);
    }
  });
  const present = weeks.filter((week) => week.attendanceShare !== null);
  const last = present.at(-1);
  const label =
    `Fremmøde uge for uge, ${weeks.length} uger` +
    (last?.attendanceShare !== null && last !== undefined ? `; seneste uge med skoledage (uge ${isoWeek(last.weekStart)}): ${Math.round((last.attendanceShare ?? 0) * 100)} %` : '') +
    '. Tallene står i tabellen under.';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-label="${escape(label)}">` +
    parts.join('') +
    `<line x1="${LEFT}" x2="${WIDTH - 8}" y1="${TOP + plotHeight}" y2="${TOP + plotHeight}" stroke="${INK}"/>` +
    `</svg>`
  );
}
