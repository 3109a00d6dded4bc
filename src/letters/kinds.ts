/**
 * The letters the system drafts, and which announced case event calls for which letter.
 * A person approves or discards every draft; nothing here sends anything.
 */
import type { HistoryEntry } from '../domain/schemas';

export const LETTER_KINDS = ['parent_conversation_invitation', 'action_plan_meeting_invitation', 'closure_summary'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

export function isLetterKind(value: string): value is LetterKind {
  return (LETTER_KINDS as readonly string[]).includes(value);
}

/**
 * The letter an announced history entry calls for, if any:
 * - the case opens → the leader invites the parents to a conversation (track C);
 * - the case enters the action plan phase → the tovholder invites to the action-plan meeting;
 * - the case closes → a summary with the relapse-prevention plan and the bridging decision.
 */
export function letterKindFor(entry: Pick<HistoryEntry, 'event' | 'phase'>): LetterKind | undefined {
  if (entry.event === 'opened') return 'parent_conversation_invitation';
  if (entry.event === 'phase_entered' && entry.phase === 'action_plan') return 'action_plan_meeting_invitation';
  if (entry.event === 'closed') return 'closure_summary';
  return undefined;
}
