/**
 * A letter template filled with a made-up sample case, so an admin sees what the parents would
 * read before saving. The same renderer and field list as the real drafts (src/letters); the
 * sample is invented (no real pupil) and never stored.
 */
import type { CaseView, HistoryEntry } from '../domain/schemas';
import { renderLetter, type LetterKind, LetterTemplateError } from '../letters';

const SAMPLE_VIEW: CaseView = {
  caseId: '00000000-0000-4000-8000-000000000000',
  pupilRef: 'EKSEMPEL-1',
  schoolId: 'S1',
  grade: 6,
  tovholder: 'Kim Tovholder',
  openedOn: '2026-11-02',
  concern: { source: 'parents' },
  phase: 'closed',
  steps: [
    { stepId: 'parent_conversation', phase: 'mapping', track: 'C', title: 'Samtale med forældrene (spor C)', dueOn: '2026-11-13', status: 'done', completedOn: '2026-11-10', createdOn: '2026-11-02' },
    { stepId: 'action_plan', phase: 'action_plan', title: 'Handleplan', dueOn: '2026-11-27', status: 'done', completedOn: '2026-11-25', createdOn: '2026-11-20' },
  ],
  plan: {
    revision: 1,
    adoptedOn: '2026-11-25',
    measures: [
      { measureId: 'm1', track: 'pupil_parents', description: 'Fast morgenmøde med trivselskontakten', responsible: 'Trivselskontakten', startsOn: '2026-11-30', reviewOn: '2027-01-15' },
      { measureId: 'm2', track: 'community', description: 'Makkerordning i klassen', responsible: 'Klasseteamet', startsOn: '2026-11-30', reviewOn: '2027-01-15' },
      { measureId: 'm3', track: 'teaching', description: 'Online undervisning de dage eleven er hjemme', responsible: 'Dansklæreren', startsOn: '2026-11-30', reviewOn: '2027-01-15' },
    ],
  },
  planRevision: 1,
  planRevisions: [],
  followUps: [],
  escalationLevel: 0,
  escalations: [],
  closure: {
    criteria: {
      regularAttendance: true,
      wellbeingImproving: true,
      communityChallengesReduced: true,
      pupilMotivated: true,
      partiesAgree: true,
      measuresToKeep: ['Morgenmødet fortsætter til sommerferien'],
    },
    relapsePreventionPlan: 'Tovholderen ringer til forældrene efter hver ferie.',
    bridging: { decision: 'civil_society', note: 'Den lokale fodboldklub' },
    closedOn: '2027-03-05',
  },
  history: [],
  asOf: '2027-03-05',
  version: 1,
};

const SAMPLE_ENTRY: HistoryEntry = { seq: 1, at: '2026-11-02T09:00:00.000Z', on: '2026-11-02', event: 'opened', phase: 'mapping' };

export type LetterPreview = { subject: string; body: string } | { problem: string };

export function previewLetter(kind: LetterKind, subject: string, body: string): LetterPreview {
  try {
    return renderLetter({ kind, source: 'eksempel', subject, body }, { view: SAMPLE_VIEW, entry: SAMPLE_ENTRY, schoolName: 'Eksempelskolen' });
  } catch (error) {
    // The API's check names the problem when the template is saved; here a plain sentence will do.
    if (error instanceof LetterTemplateError) return { problem: 'Skabelonen kan ikke udfyldes, som den står. Gem den for at se, hvad der er galt.' };
    throw error;
  }
}
