/**
 * Redrafting: when the case's facts behind an open draft change (a corrected opening date moves
 * the conversation's deadline, a corrected grade, a revised plan before the closure letter is
 * approved), the draft no longer says what is true. A draft nobody has edited is superseded by a
 * new one written from the new facts, with the template in force now; one a person has edited is
 * only marked, as overwriting their words silently would lose them: the page says the facts
 * changed and offers the redraft.
 */
import type { CaseViewPart } from '../domain/caseRow';
import type { CaseView } from '../domain/schemas';
import type { Database } from '../db/types';
import { LetterDataError, letterField } from './fields';
import type { LetterTemplates } from './loadTemplates';
import { draftLetter } from './render';
import { createLetterDraftStore, type OpenDraft } from './store';
import { createLetterTemplateStore } from './templateStore';

/**
 * The parts of a case view a letter's facts are read from (see the fields in fields.ts); a step
 * that changes none of them cannot change a draft's facts, so it is not checked.
 */
export const LETTER_FACT_PARTS: readonly CaseViewPart[] = ['pupilRef', 'schoolId', 'grade', 'openedOn', 'steps', 'plan', 'closure'];

/** The names of the facts that differ now from those the draft was written from. */
export function changedFacts(draft: Pick<OpenDraft, 'kind' | 'facts'>, view: CaseView): string[] {
  if (draft.facts === null) return [];
  const changed: string[] = [];
  for (const [name, was] of Object.entries(draft.facts)) {
    const field = letterField(name);
    if (field === undefined) continue;
    let now: string;
    try {
      now = field.value({ view }, draft.kind);
    } catch (error) {
      // A fact the case no longer has (e.g. a closure after a reopening) is not a new fact to write.
      if (error instanceof LetterDataError) continue;
      throw error;
    }
    if (now !== was) changed.push(name);
  }
  return changed;
}

export interface Redrafting {
  /** Supersedes the open draft with one from the case's current facts; the new draft's id, or null when it was no longer open. */
  redraft(db: Database, view: CaseView, draft: OpenDraft, by: string | null): Promise<string | null>;
  /**
   * Checks every open draft of the case against its current facts; counts the drafts made and
   * those marked. The view is read only when the case has an open draft to compare; `open`, when
   * the caller has read the open drafts already (OPEN_DRAFTS_JSON_SQL), saves reading them again.
   */
  checkCase(
    db: Database,
    caseId: string,
    viewOf: () => Promise<CaseView | undefined>,
    open?: readonly OpenDraft[],
  ): Promise<{ redrafted: number; marked: number }>;
}

export function createRedrafting(templates: LetterTemplates): Redrafting {
  const redraft: Redrafting['redraft'] = async (db, view, draft, by) => {
    const { template } = await createLetterTemplateStore(db, templates).inForce(draft.kind);
    const letter = draftLetter(template, { view });
    return createLetterDraftStore(db).supersede(
      draft,
      { caseId: view.caseId, schoolId: view.schoolId, kind: draft.kind, sourceSeq: draft.sourceSeq, ...letter },
      by,
    );
  };
  return {
    redraft,
    async checkCase(db, caseId, viewOf, known) {
      const store = createLetterDraftStore(db);
      let redrafted = 0;
      let marked = 0;
      const open = (known ?? (await store.openDrafts(caseId))).filter((draft) => draft.facts !== null);
      if (open.length === 0) return { redrafted, marked };
      const view = await viewOf();
      if (view === undefined) return { redrafted, marked };
      for (const draft of open) {
        if (changedFacts(draft, view).length === 0) continue;
        if (draft.revisions > 0) {
          if (draft.factsChangedAt === null) {
            await store.markFactsChanged(draft.draftId);
            marked += 1;
          }
          continue;
        }
        try {
          if ((await redraft(db, view, draft, null)) !== null) redrafted += 1;
        } catch (error) {
          // The new facts do not fill the letter: the old draft stays, marked, for a person to see.
          if (!(error instanceof LetterDataError)) throw error;
          await store.markFactsChanged(draft.draftId);
          marked += 1;
        }
      }
      return { redrafted, marked };
    },
  };
}
