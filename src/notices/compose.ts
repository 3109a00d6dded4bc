/**
 * The mails, in Danish and plain text. Pure.
 *
 * Children's data: a mail names the case by the school's pseudonymous pupil reference and a link
 * to the case, nothing more: never a name, a CPR number, a note or an escalation's free-text
 * reason (whoever needs those opens the case, where access is controlled).
 */
import { danishDate } from '../letters/danish';
import type { NoticeKind } from './kinds';
import type { ClaimedNotice } from './store';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface ComposeOptions {
  /** Where the service is reached, e.g. https://fravaer.kommune.dk; the case link is built on it. */
  publicBaseUrl: string;
}

const FOOTER = [
  '-- ',
  'Denne besked er sendt automatisk af Fraværsforløb og kan ikke besvares.',
  'Af hensyn til eleven står der kun elevreferencen i beskeden: ingen navne, CPR-numre eller noter.',
  'Sagens oplysninger ser du ved at åbne sagen.',
].join('\n');

const LADDER: Readonly<Record<number, string>> = {
  1: 'Niveau 1: klasseteamet søger råd hos ressourceteamet, og I aftaler en opfølgning.',
  2: 'Niveau 2: ressourceteamet laver en plan sammen med teamet, og der aftales en tovholder.',
  3: 'Niveau 3: ressourceteamet inddrager eksterne ressourcer (PPR, sundhedsplejen, Børne- og Familieafdelingen).',
};

export function caseLink(options: ComposeOptions, caseId: string): string {
  return `${options.publicBaseUrl.replace(/\/+$/, '')}/forloeb/${encodeURIComponent(caseId)}`;
}

const dateOrUnknown = (date: string | undefined): string => (date === undefined ? 'ukendt' : danishDate(date));

/** The mail for an urgent notice (an escalation), sent at once and on its own. */
export function composeUrgent(notice: ClaimedNotice, options: ComposeOptions): Mail {
  const level = notice.facts.level;
  const levelText = level === undefined ? 'et nyt niveau' : `niveau ${level}`;
  const afterFollowUp = notice.facts.via === 'follow_up' ? ' efter en opfølgning' : '';
  const lines = [
    'Til ressourceteamet',
    '',
    `En sag om bekymrende skolefravær er eskaleret til ${levelText} på eskaleringstrappen${afterFollowUp} den ${dateOrUnknown(notice.facts.on)}.`,
    'Sagen skal på dagsordenen til ressourceteamets næste møde.',
    ...(level !== undefined && LADDER[level] !== undefined ? ['', LADDER[level]] : []),
    '',
    `Elevreference: ${notice.pupilRef}`,
    `Skole: ${notice.schoolId}`,
    `Sagen: ${caseLink(options, notice.caseId)}`,
    '',
    'Begrundelsen for eskaleringen står i sagen.',
    '',
    FOOTER,
  ];
  return {
    to: notice.address,
    subject: `Haster: sag eskaleret til ${levelText} (elevreference ${notice.pupilRef})`,
    text: `${lines.join('\n')}\n`,
  };
}

/** Order within a digest: what is most late first. */
const DIGEST_ORDER: Readonly<Record<NoticeKind, number>> = {
  step_overdue_leader: 0,
  step_overdue: 1,
  step_due_soon: 2,
  follow_up_window_open: 3,
  escalation: 4,
  tovholder_reassigned: 5,
};

function headline(notice: ClaimedNotice): string {
  const title = notice.facts.stepTitle ?? notice.stepId ?? 'et trin i sagen';
  switch (notice.kind) {
    case 'step_due_soon':
      return `Frist nærmer sig: ${title}`;
    case 'step_overdue':
      return `Frist overskredet: ${title}`;
    case 'step_overdue_leader': {
      const late = notice.facts.schoolDaysLate;
      const by = late === undefined ? 'mere end 10 skoledage' : `${late} skoledage`;
      return `Til skolelederen – fristen er overskredet med ${by}: ${title}`;
    }
    case 'follow_up_window_open':
      return 'Opfølgningsperioden er begyndt: handleplanen følges nu op med forældre og elev';
    case 'escalation':
      return `Sagen er eskaleret${notice.facts.level !== undefined ? ` til niveau ${notice.facts.level}` : ''}`;
    case 'tovholder_reassigned':
      return `Forløbet har fået ny tovholder: ${notice.facts.toTovholder ?? 'en anden'} overtager efter ${notice.facts.fromTovholder ?? 'den tidligere'}`;
  }
}

function item(notice: ClaimedNotice, number: number, options: ComposeOptions): string {
  const lines = [`${number}. ${headline(notice)}`];
  if (notice.kind === 'follow_up_window_open') {
    if (notice.facts.firstFollowUpDue !== undefined) lines.push(`   Første opfølgning senest: ${danishDate(notice.facts.firstFollowUpDue)}`);
  } else if (notice.facts.dueOn !== undefined) {
    lines.push(`   Frist: ${danishDate(notice.facts.dueOn)}`);
  }
  lines.push(`   Elevreference: ${notice.pupilRef} · Skole: ${notice.schoolId}`);
  lines.push(`   Sagen: ${caseLink(options, notice.caseId)}`);
  if (notice.casePhase === 'closed') lines.push('   (Sagen er siden afsluttet.)');
  else if (notice.stepStatus === 'done') lines.push('   (Trinnet er siden markeret som udført.)');
  return lines.join('\n');
}

/** One person's digest of the day: every pending non-urgent notice for them. */
export function composeDigest(address: string, notices: readonly ClaimedNotice[], day: string, options: ComposeOptions): Mail {
  const sorted = [...notices].sort(
    (a, b) =>
      DIGEST_ORDER[a.kind] - DIGEST_ORDER[b.kind] ||
      (a.facts.dueOn ?? '').localeCompare(b.facts.dueOn ?? '') ||
      a.createdAt.localeCompare(b.createdAt),
  );
  const count = sorted.length;
  const noun = count === 1 ? 'påmindelse' : 'påmindelser';
  const lines = [
    'Hej',
    '',
    `Her er dagens samlede oversigt fra Fraværsforløb med ${count} ${noun}.`,
    '',
    sorted.map((notice, index) => item(notice, index + 1, options)).join('\n\n'),
    '',
    'Du får højst én samlet oversigt om dagen. Eskaleringer til ressourceteamet sendes med det samme for sig.',
    '',
    FOOTER,
  ];
  return {
    to: address,
    subject: `Fraværsforløb: ${count} ${noun} ${danishDate(day)}`,
    text: `${lines.join('\n')}\n`,
  };
}
