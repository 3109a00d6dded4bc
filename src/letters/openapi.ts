/**
 * The drafts and letter templates routes in the OpenAPI document. Importing this module also
 * registers the letter schemas (LetterDraft, LetterTemplate, …) the document's components are
 * generated from.
 */
import { draftEditBody, letterDraft, letterDraftList, letterDraftWithRevisions, letterTemplate, letterTemplateInput, letterTemplateList } from './schemas';

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
const DRAFT_WITH_REVISIONS = letterDraftWithRevisions.meta()?.id ?? 'LetterDraftWithRevisions';
const DRAFT_EDIT = draftEditBody.meta()?.id ?? 'LetterDraftEdit';

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
        409: problem('The draft has already been approved, discarded or superseded'),
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
        responses: {
          200: {
            ...json('The drafts', DRAFT_LIST),
            // The first draft's id, for the decisions on it (OpenAPI links; schemathesis follows them).
            links: {
              ApproveFirstDraft: { operationRef: '#/paths/~1api~1drafts~1{draftId}~1approve/post', parameters: { draftId: '$response.body#/items/0/draftId' } },
              DiscardFirstDraft: { operationRef: '#/paths/~1api~1drafts~1{draftId}~1discard/post', parameters: { draftId: '$response.body#/items/0/draftId' } },
              ReadFirstDraft: { operationRef: '#/paths/~1api~1drafts~1{draftId}/get', parameters: { draftId: '$response.body#/items/0/draftId' } },
              EditFirstDraft: { operationRef: '#/paths/~1api~1drafts~1{draftId}~1revisions/post', parameters: { draftId: '$response.body#/items/0/draftId' } },
              RedraftFirstDraft: { operationRef: '#/paths/~1api~1drafts~1{draftId}~1redraft/post', parameters: { draftId: '$response.body#/items/0/draftId' } },
            },
          },
          404: problem('No such case'),
        },
      },
    },
    '/api/drafts/{draftId}': {
      get: {
        summary: 'One letter draft as it reads now, with every edit (who and when)',
        parameters: [uuidParam('draftId')],
        responses: { 200: json('The draft and its edits', DRAFT_WITH_REVISIONS), 404: problem('No such draft') },
      },
    },
    '/api/drafts/{draftId}/revisions': {
      post: {
        summary: 'Edit a draft before it is approved: the whole subject and text, kept as a new revision with who (the token’s subject) and when',
        parameters: [uuidParam('draftId'), { ...idempotencyKey, description: 'Repeating the request with the same key answers the same edit instead of making another' }],
        requestBody: { required: true, content: { 'application/json': { schema: ref(DRAFT_EDIT) } } },
        responses: {
          201: json('The draft with the new edit', DRAFT_WITH_REVISIONS),
          200: json('The same request again: the edit it made', DRAFT_WITH_REVISIONS),
          400: problem('The subject or the text is missing, empty or too long; nothing changed'),
          404: problem('No such draft'),
          409: problem('The draft has already been approved, discarded or superseded; it cannot be edited'),
        },
      },
    },
    '/api/drafts/{draftId}/redraft': {
      post: {
        summary: 'Write the letter again from the case’s facts as they are now; the draft becomes superseded (kept, readable)',
        description: 'Takes no body. Offered when factsChanged is true: the facts behind an edited draft changed, and edits are never overwritten silently.',
        parameters: [uuidParam('draftId')],
        responses: {
          201: json('The new draft', DRAFT_WITH_REVISIONS),
          400: problem('A body with fields'),
          404: problem('No such draft'),
          409: problem('The draft has already been approved, discarded or superseded'),
        },
      },
    },
    '/api/drafts/{draftId}/approve': decision('Approve a letter draft (it is not sent by this); who approved is recorded'),
    '/api/drafts/{draftId}/discard': decision('Discard a letter draft'),
  };
}

const TEMPLATE = letterTemplate.meta()?.id ?? 'LetterTemplate';
const TEMPLATE_LIST = letterTemplateList.meta()?.id ?? 'LetterTemplateList';
const TEMPLATE_INPUT = letterTemplateInput.meta()?.id ?? 'LetterTemplateInput';
const kindParam = { name: 'kind', in: 'path', required: true, schema: ref('LetterKind') };

export function letterTemplatePaths() {
  return {
    '/api/letter-templates': {
      get: {
        summary: 'The template in force for each kind of letter, and whether it is the shipped file or the municipality’s own one',
        responses: { 200: json('The templates', TEMPLATE_LIST) },
      },
    },
    '/api/letter-templates/{kind}': {
      get: {
        summary: 'The template in force for one kind of letter',
        parameters: [kindParam],
        responses: { 200: json('The template in force', TEMPLATE), 404: problem('No such kind of letter') },
      },
      put: {
        summary: 'Set the municipality’s own template for a kind of letter; every draft from then on uses it',
        description:
          'The same template language and the same check as templates/letters/<kind>.md: {{field}} placeholders naming only the ' +
          'fields this kind of letter has (templates/letters/README.md), no field of several lines in the subject, neither text empty. ' +
          'A refused template answers 400 naming the text (subject or body) and the placeholder; the template in force is unchanged. ' +
          'Drafts already made keep their text.',
        parameters: [kindParam],
        requestBody: { required: true, content: { 'application/json': { schema: ref(TEMPLATE_INPUT) } } },
        responses: {
          200: json('The template now in force', TEMPLATE),
          400: problem('The template is refused (an unknown field, a malformed placeholder, an empty text); nothing changed'),
          404: problem('No such kind of letter'),
        },
      },
      delete: {
        summary: 'Go back to the shipped template file for a kind of letter',
        parameters: [kindParam],
        responses: { 200: json('The template now in force (the file)', TEMPLATE), 404: problem('No such kind of letter') },
      },
    },
  };
}
