/**
 * How case facts are written in a Danish letter: dates, grades, tracks, bridging decisions.
 * Pure functions.
 */
import type { Closure, MeasureTrack } from '../domain/schemas';

const MONTHS = [
  'januar',
  'februar',
  'marts',
  'april',
  'maj',
  'juni',
  'juli',
  'august',
  'september',
  'oktober',
  'november',
  'december',
] as const;

/** '2026-11-18' → '18. november 2026'. */
export function danishDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  if (!match || month === undefined) throw new RangeError('not a date written YYYY-MM-DD');
  return `${Number(match[3])}. ${month} ${match[1]}`;
}

/** 0 → '0. klasse' (børnehaveklassen), 6 → '6. klasse'. */
export function danishGrade(grade: number): string {
  return `${grade}. klasse`;
}

export const TRACK_LABELS: Readonly<Record<MeasureTrack, string>> = {
  pupil_parents: 'Til eleven og familien',
  community: 'Fællesskabet i klassen og i fritiden',
  teaching: 'Undervisning, mens det er svært at komme i skole',
};

const BRIDGING_SENTENCES: Readonly<Record<Closure['bridging']['decision'], string>> = {
  none: 'Vi har sammen vurderet, at der ikke er brug for at bygge bro til andre tilbud lige nu',
  civil_society: 'Vi har aftalt at bygge bro til et tilbud i foreningslivet eller lokalområdet',
  network: 'Vi har aftalt at inddrage familiens netværk, så jeres barn har flere voksne at støtte sig til',
  other: 'Vi har aftalt at bygge bro til et andet tilbud, som kan støtte jeres barn',
};

/** The bridging decision as one sentence, with the note the school wrote when there is one. */
export function bridgingSentence(bridging: Closure['bridging']): string {
  const base = BRIDGING_SENTENCES[bridging.decision];
  const note = bridging.note?.trim();
  if (!note) return `${base}.`;
  return /[.!?]$/.test(note) ? `${base}: ${note}` : `${base}: ${note}.`;
}

/** Lines as a list, one "- " item each; `whenEmpty` is the one item when there are none. */
export function bulletList(items: readonly string[], whenEmpty: string): string {
  const lines = items.map((item) => item.trim().replace(/\s*\n\s*/g, ' ')).filter((item) => item !== '');
  return (lines.length > 0 ? lines : [whenEmpty]).map((line) => `- ${line}`).join('\n');
}
