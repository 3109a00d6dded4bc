/**
 * The contacts and notifications routes in the OpenAPI document. Importing this module also
 * registers their schemas (SchoolContacts, Notification, …) for the document's components.
 */
import { queryParameters } from '../domain/openapiParameters';
import { notificationList, notificationsQuery, schoolContacts, schoolContactsInput } from './schemas';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const json = (description: string, id: string) => ({ description, content: { 'application/json': { schema: ref(id) } } });
const schoolIdParam = { name: 'schoolId', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', maxLength: 64 } };

// The ids the components are registered under; referenced so a renamed schema breaks here.
const CONTACTS = schoolContacts.meta()?.id ?? 'SchoolContacts';
const CONTACTS_INPUT = schoolContactsInput.meta()?.id ?? 'SchoolContactsInput';
const LIST = notificationList.meta()?.id ?? 'NotificationList';

export function noticePaths() {
  return {
    '/api/schools/{schoolId}/contacts': {
      put: {
        summary: 'Set the school’s contacts directory: who receives which notice',
        description:
          'Replaces the whole directory. Tovholder notices (steps due soon or overdue, the follow-up window opening) go to the case’s tovholder, ' +
          'steps more than ten school days late to the leader, escalations (urgent) to the resource team. A notice whose recipient has no address waits and goes out once one is set.',
        parameters: [schoolIdParam],
        requestBody: { required: true, content: { 'application/json': { schema: ref(CONTACTS_INPUT) } } },
        responses: {
          200: json('The directory as stored', CONTACTS),
          400: problem('A bad schoolId, an address that is not an e-mail address, or an unknown field; `errors` names each. Nothing is changed.'),
        },
      },
      get: {
        summary: 'The school’s contacts directory',
        parameters: [schoolIdParam],
        responses: { 200: json('The directory', CONTACTS), 400: problem('A bad schoolId'), 404: problem('The school has set no contacts yet') },
      },
    },
    '/api/notifications': {
      get: {
        summary: 'Notices and their delivery, newest first',
        description:
          'Urgent notices (escalations) are sent at once; the rest go as one Danish digest per person per day. A failed send is retried with backoff and ends as `failed` after the last attempt; no notice is ever deleted.',
        parameters: queryParameters(notificationsQuery),
        responses: { 200: json('The notices', LIST), 400: problem('A bad or unknown query parameter; `errors` names it') },
      },
    },
  };
}
