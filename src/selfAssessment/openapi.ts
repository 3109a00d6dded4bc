/**
 * The self-assessment routes in the OpenAPI document. Importing this module also registers the
 * self-assessment schemas the document's components are generated from.
 */
import { createRoundInput, discussionInput, framework, participantInput, prioritiesInput, ratingsInput, round, roundList, roundResult } from './schemas';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const json = (description: string, id: string) => ({ description, content: { 'application/json': { schema: ref(id) } } });
const body = (id: string) => ({ required: true, content: { 'application/json': { schema: ref(id) } } });
const uuidParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });
const idOf = (schema: { meta(): { id?: string } | undefined }, fallback: string) => schema.meta()?.id ?? fallback;

const ROUND = idOf(round, 'SelfAssessmentRound');
const notFound = problem('No such round (or participant)');
const badBody = problem('The body fails its schema (a rating outside 1–5, an unknown principle or theme); `errors` names each field and nothing is saved');

export function selfAssessmentPaths() {
  return {
    '/api/self-assessments/framework': {
      get: {
        summary: 'The self-assessment’s themes and principles (Børns Vilkår’s tool, in Danish), the 1–5 scale and the three steps',
        responses: { 200: json('The framework', idOf(framework, 'SelfAssessmentFramework')) },
      },
    },
    '/api/self-assessments': {
      get: { summary: 'The municipality’s self-assessment rounds, newest first', responses: { 200: json('The rounds', idOf(roundList, 'SelfAssessmentRoundList')) } },
      post: {
        summary: 'Start a round of the self-assessment: a title, the day the group meets, the participants (name and function)',
        requestBody: body(idOf(createRoundInput, 'SelfAssessmentRoundInput')),
        responses: { 201: json('The round', ROUND), 400: badBody },
      },
    },
    '/api/self-assessments/{roundId}': {
      get: { summary: 'A round in full: participants, ratings, notes, discussion, priorities', parameters: [uuidParam('roundId')], responses: { 200: json('The round', ROUND), 404: notFound } },
    },
    '/api/self-assessments/{roundId}/participants': {
      post: {
        summary: 'Add a participant to a round',
        parameters: [uuidParam('roundId')],
        requestBody: body(idOf(participantInput, 'SelfAssessmentParticipantInput')),
        responses: { 201: json('The round', ROUND), 400: badBody, 404: notFound },
      },
    },
    '/api/self-assessments/{roundId}/participants/{participantId}/ratings': {
      put: {
        summary: 'Save a participant’s ratings (1–5, with an optional comment) and their overall number and note per theme; what is left out keeps what it had, so rating can stop and resume',
        parameters: [uuidParam('roundId'), uuidParam('participantId')],
        requestBody: body(idOf(ratingsInput, 'SelfAssessmentRatingsInput')),
        responses: { 200: json('The round', ROUND), 400: badBody, 404: notFound },
      },
    },
    '/api/self-assessments/{roundId}/discussion': {
      put: {
        summary: 'Save the group’s notes from the discussion (step 2), per theme',
        parameters: [uuidParam('roundId')],
        requestBody: body(idOf(discussionInput, 'SelfAssessmentDiscussionInput')),
        responses: { 200: json('The round', ROUND), 400: badBody, 404: notFound },
      },
    },
    '/api/self-assessments/{roundId}/priorities': {
      put: {
        summary: 'Set the group’s priorities (step 3): at most three, each with next steps, an owner and a date',
        parameters: [uuidParam('roundId')],
        requestBody: body(idOf(prioritiesInput, 'SelfAssessmentPrioritiesInput')),
        responses: { 200: json('The round', ROUND), 400: badBody, 404: notFound, 422: problem('A date before the round was held; `errors` names it') },
      },
    },
    '/api/self-assessments/{roundId}/result': {
      get: {
        summary: 'The result: per principle and theme the average, spread and each participant’s rating, the principles to discuss, the service’s own figures, and the round before',
        description: 'Send `Accept: text/csv` for the same as CSV (UTF-8 with BOM, Danish headings): a row per principle and per theme, each participant in a column; a blank line; the priorities.',
        parameters: [uuidParam('roundId')],
        responses: {
          200: {
            description: 'The result',
            content: { 'application/json': { schema: ref(idOf(roundResult, 'SelfAssessmentResult')) }, 'text/csv': { schema: { type: 'string' } } },
          },
          404: notFound,
        },
      },
    },
  };
}
