/**
 * The drafts routes in the OpenAPI document. Importing this module also registers the letter
 * schemas (LetterDraft, LetterDraftList) that the document's components are generated from.
 */
import { letterDraft, letterDraftList } from './schemas';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const json = (description: string, id: string) => ({ description, content: { 'application/json': { schema: ref(id) } } });
const uuidParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Repeating a request with the same key answers the draft again instead of 409',
  schema: { type: 'string', maxLength: 200 },
};

// The ids the components are registered under; referenced so a renamed schema breaks here.
const DRAFT = letterDraft.meta()?.id ?? 'LetterDraft';
const DRAFT_LIST = letterDraftList.meta()?.id ?? 'LetterDraftList';

function decision(summary: string) {
  return {
    post: {
      summary,
      description: 'Takes no body. Only a draft can be approved or discarded; a decision is final.',
      parameters: [uuidParam('draftId'), idempotencyKey],
      responses: {
        200: json('The draft after the decision', DRAFT),
        400: problem('A body with fields, or a malformed Idempotency-Key'),
        404: problem('No such draft'),
        409: problem('The draft has already been approved or discarded'),
      },
    },
  };
}

export function letterDraftPaths() {
  return {
    '/api/cases/{caseId}/drafts': {
      get: {
        summary: 'The letters drafted for a case (in Danish), oldest first; a person approves or discards each',
        parameters: [uuidParam('caseId')],
        responses: { 200: json('The drafts', DRAFT_LIST), 404: problem('No such case') },
      },
    },
    '/api/drafts/{draftId}/approve': decision('Approve a letter draft (it is not sent by this)'),
    '/api/drafts/{draftId}/discard': decision('Discard a letter draft'),
  };
}
