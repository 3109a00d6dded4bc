/**
 * Drafting letters. The workflow hands over every entry it has just recorded; this activity
 * picks those that call for a letter, fills the municipality's template with the case's facts
 * and stores the draft for a person to edit, approve or discard. Nothing is sent, and no name:
 * the people's fields stay placeholders until the letter is shown (src/letters/store.ts).
 *
 * Idempotent, as Temporal runs activities at least once: a draft is keyed by case, kind and the
 * entry's seq, so a retried call drafts nothing new.
 */
import { log } from '@temporalio/activity';
import type { Database } from '../db/types';
import type { CaseView, HistoryEntry } from '../domain/schemas';
import { LetterDataError } from '../letters/fields';
import { letterKindFor, type LetterKind } from '../letters/kinds';
import type { LetterTemplates } from '../letters/loadTemplates';
import { draftLetter } from '../letters/render';
import { createLetterDraftStore, type NewLetterDraft } from '../letters/store';
import { createLetterTemplateStore, type TemplateInForce } from '../letters/templateStore';

export interface LetterActivityDeps {
  db: Database;
  /**
   * The shipped files, loaded and checked at start (loadLetterTemplates); a template set in the
   * database (letter_templates) is in force over its file, read at drafting time.
   */
  templates: LetterTemplates;
  /** Told when a letter cannot be drafted; gets identifiers only, never letter text. */
  warn?: (message: string, fields: { caseId: string; kind: string; seq: number; field: string }) => void;
}

export interface DraftLettersInput {
  caseId: string;
  events: HistoryEntry[];
  view: CaseView;
}

export interface DraftLettersResult {
  /** Drafts stored by this call (0 when they existed already). */
  drafted: number;
}

/** The worker's log (identifiers only); outside an activity (a test calling it directly) there is none. */
function warnThroughTemporal(message: string, fields: Record<string, string | number>): void {
  try {
    log.warn(message, fields);
  } catch {
    // Not inside an activity: nothing to log to.
  }
}

/**
 * Drafts the letters the entries call for, through `db` (the effect step passes its
 * transaction, so drafts commit with the events that called for them).
 */
export function createLetterDrafting({ templates, warn = warnThroughTemporal }: Omit<LetterActivityDeps, 'db'>) {
  return async (db: Database, { caseId, events, view }: DraftLettersInput): Promise<DraftLettersResult> => {
    const store = createLetterDraftStore(db);
    const templatesInForce = createLetterTemplateStore(db, templates);
    const drafts: NewLetterDraft[] = [];
    // Read once per call: the template in force when these letters are drafted.
    const inForce = new Map<LetterKind, TemplateInForce>();
    for (const entry of events) {
      const kind = letterKindFor(entry);
      if (kind === undefined) continue;
      let current = inForce.get(kind);
      if (current === undefined) {
        current = await templatesInForce.inForce(kind);
        inForce.set(kind, current);
        if (current.refusedOverride !== undefined) {
          warn('the letter template in the database no longer passes the check; the file is used', {
            caseId,
            kind,
            seq: entry.seq,
            field: current.refusedOverride.field ?? current.refusedOverride.part ?? '(template)',
          });
        }
      }
      try {
        // The case's facts go into the stored draft; the names are filled in when it is shown.
        const letter = draftLetter(current.template, { view, entry });
        drafts.push({ caseId, schoolId: view.schoolId, kind, sourceSeq: entry.seq, ...letter });
      } catch (error) {
        // Retrying cannot give the case a fact it lacks; the case's other effects must go on.
        if (!(error instanceof LetterDataError)) throw error;
        warn('letter not drafted: the case lacks a fact it needs', { caseId, kind, seq: entry.seq, field: error.field });
      }
    }
    return { drafted: await store.saveDrafts(drafts) };
  };
}

export function createLetterActivities({ db, ...deps }: LetterActivityDeps) {
  const draft = createLetterDrafting(deps);
  return {
    /** Kept for cases whose histories ran it (before the one effect step); new steps use recordCaseEffects. */
    draftLetters: (input: DraftLettersInput): Promise<DraftLettersResult> => draft(db, input),
  };
}
