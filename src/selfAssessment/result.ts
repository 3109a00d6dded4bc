/**
 * A round's result, computed from its ratings: per principle and per theme the average, the
 * spread (highest minus lowest) and the standard deviation, each participant's rating side by
 * side, the principles where participants differ most (for step 2's discussion), and the round
 * before it theme by theme. Pure: the figures from the service's own cases arrive as an argument.
 */
import { THEMES } from './principles';
import type { PrincipleResult, Round, RoundResult, ServiceFigure, ThemeResult } from './schemas';

/** Principles marked for the discussion: at most this many, and only where ratings are this far apart. */
export const MOST_DIVERGENT = 3;
export const DIVERGENT_SPREAD = 2;

const round2 = (value: number) => Math.round(value * 100) / 100;

export interface Stats {
  count: number;
  average: number | null;
  spread: number | null;
  standardDeviation: number | null;
}

/** Average and standard deviation to 2 decimals; spread needs two ratings to mean anything. */
export function stats(values: readonly number[]): Stats {
  if (values.length === 0) return { count: 0, average: null, spread: null, standardDeviation: null };
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
  return {
    count: values.length,
    average: round2(mean),
    spread: values.length < 2 ? null : Math.max(...values) - Math.min(...values),
    standardDeviation: values.length < 2 ? null : round2(Math.sqrt(variance)),
  };
}

/** The principles' average alone, for comparing rounds. */
export function principleAverages(round: Round): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const theme of THEMES) {
    for (const principle of theme.principles) {
      out.set(principle.id, stats(round.ratings.filter((r) => r.principleId === principle.id).map((r) => r.rating)).average);
    }
  }
  return out;
}

function themeAverages(round: Round, themeId: string) {
  const theme = THEMES.find((t) => t.id === themeId);
  const ids = new Set(theme?.principles.map((p) => p.id));
  const overall = round.themeNotes.filter((n) => n.themeId === themeId && n.overall !== undefined).map((n) => n.overall as number);
  return {
    average: stats(round.ratings.filter((r) => ids.has(r.principleId)).map((r) => r.rating)).average,
    overallAverage: stats(overall).average,
  };
}

export interface ResultInputs {
  round: Round;
  earlier: Round | null;
  /** The service's own figures by theme id (none for a theme: left out). */
  figures: Readonly<Record<string, readonly ServiceFigure[]>>;
  figuresPeriod: { from: string; to: string };
}

export function roundResult({ round, earlier, figures, figuresPeriod }: ResultInputs): RoundResult {
  const people = round.participants;
  const themes: ThemeResult[] = THEMES.map((theme) => {
    const ids = new Set(theme.principles.map((p) => p.id));
    const principles: PrincipleResult[] = theme.principles.map((principle) => {
      const side = people.map((person) => {
        const given = round.ratings.find((r) => r.participantId === person.participantId && r.principleId === principle.id);
        return { participantId: person.participantId, rating: given?.rating ?? null, ...(given?.comment !== undefined ? { comment: given.comment } : {}) };
      });
      const s = stats(side.flatMap((r) => (r.rating === null ? [] : [r.rating])));
      return { principleId: principle.id, text: principle.text, ratings: side, ...s, discuss: false };
    });
    const all = stats(round.ratings.filter((r) => ids.has(r.principleId)).map((r) => r.rating));
    const byParticipant = people.map((person) => ({
      participantId: person.participantId,
      overall: round.themeNotes.find((n) => n.participantId === person.participantId && n.themeId === theme.id)?.overall ?? null,
    }));
    const overall = stats(byParticipant.flatMap((o) => (o.overall === null ? [] : [o.overall])));
    const before = earlier === null ? null : themeAverages(earlier, theme.id);
    return {
      themeId: theme.id,
      title: theme.title,
      ...all,
      overall: { byParticipant, average: overall.average, spread: overall.spread },
      notes: people.flatMap((person) => {
        const note = round.themeNotes.find((n) => n.participantId === person.participantId && n.themeId === theme.id)?.note;
        return note === undefined ? [] : [{ participantId: person.participantId, note }];
      }),
      discussion: round.discussion.find((d) => d.themeId === theme.id)?.note ?? null,
      principles,
      serviceFigures: [...(figures[theme.id] ?? [])],
      earlier:
        before === null
          ? null
          : {
              average: before.average,
              overallAverage: before.overallAverage,
              change: before.average === null || all.average === null ? null : round2(all.average - before.average),
            },
    };
  });

  // Most apart first; a tie goes to the larger standard deviation, then to the framework's order.
  const candidates = themes
    .flatMap((t) => t.principles)
    .map((p, order) => ({ p, order }))
    .filter(({ p }) => p.spread !== null && p.spread >= DIVERGENT_SPREAD)
    .sort((a, b) => (b.p.spread ?? 0) - (a.p.spread ?? 0) || (b.p.standardDeviation ?? 0) - (a.p.standardDeviation ?? 0) || a.order - b.order)
    .slice(0, MOST_DIVERGENT)
    .map(({ p }) => p);
  for (const p of candidates) p.discuss = true;

  const earlierAverages = earlier === null ? null : principleAverages(earlier);
  return {
    roundId: round.roundId,
    title: round.title,
    heldOn: round.heldOn,
    participants: people,
    themes,
    mostDivergent: candidates.map((p) => p.principleId),
    priorities: round.priorities,
    figuresPeriod,
    earlier:
      earlier === null || earlierAverages === null
        ? null
        : {
            roundId: earlier.roundId,
            title: earlier.title,
            heldOn: earlier.heldOn,
            principles: [...earlierAverages].map(([principleId, average]) => ({ principleId: principleId, average })),
            priorities: earlier.priorities,
          },
  };
}
