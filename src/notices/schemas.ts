/**
 * The contacts directory and the notifications list as the HTTP API takes and shows them; the
 * routes validate with these and the OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { freeText, instant, schoolId } from '../domain/schemas';
import { NOTICE_KINDS, NOTICE_ROLES, NOTICE_STATUSES } from './kinds';

const email = z.email({ message: 'must be an e-mail address' }).max(254).meta({ example: 'kim@skole.example.dk' });

/** How many tovholdere one school may list; far above any real school. */
export const MAX_TOVHOLDERE = 500;

export const schoolContactsInput = z
  .object({
    leaderEmail: email.optional().meta({ description: 'The school leader; left out: none yet, and leader notices wait' }),
    resourceTeamEmail: email
      .optional()
      .meta({ description: 'The resource team’s shared address; left out: none yet, and escalation notices wait' }),
    tovholdere: z
      .record(freeText().min(1).max(120), email)
      .refine((map) => Object.keys(map).length <= MAX_TOVHOLDERE, { message: `lists more than ${MAX_TOVHOLDERE} tovholdere` })
      .default({})
      .meta({
        description: 'Each tovholder’s address, keyed by the tovholder id used on cases',
        example: { 'tovholder-kim': 'kim@skole.example.dk' },
      }),
  })
  .strict()
  .meta({ id: 'SchoolContactsInput', description: 'Replaces the school’s whole directory; a rejected body leaves the old one in force' });
export type SchoolContactsInput = z.infer<typeof schoolContactsInput>;

export const schoolContacts = z
  .object({
    schoolId: z.string(),
    leaderEmail: z.string().nullable(),
    resourceTeamEmail: z.string().nullable(),
    tovholdere: z.record(z.string(), z.string()),
    updatedAt: instant,
  })
  .meta({ id: 'SchoolContacts' });
export type SchoolContacts = z.infer<typeof schoolContacts>;

export const schoolIdParam = schoolId;

export const noticeKind = z.enum(NOTICE_KINDS).meta({ id: 'NotificationKind' });
export const noticeRole = z.enum(NOTICE_ROLES).meta({ id: 'NotificationRole' });
export const noticeStatus = z.enum(NOTICE_STATUSES).meta({ id: 'NotificationStatus' });

export const DEFAULT_NOTIFICATIONS_LIMIT = 100;
export const MAX_NOTIFICATIONS_LIMIT = 1000;

export const notificationsQuery = z
  .object({
    recipient: email.optional().meta({ description: 'The address a notice went to (or, while pending, would go to now)' }),
    caseId: z.uuid({ message: 'must be a case id (a UUID)' }).optional(),
    status: noticeStatus.optional(),
    schoolId: schoolId.optional(),
    limit: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_NOTIFICATIONS_LIMIT, `must be at most ${MAX_NOTIFICATIONS_LIMIT}`)
      .optional()
      .meta({ description: `How many, newest first; default ${DEFAULT_NOTIFICATIONS_LIMIT}` }),
  })
  .strict()
  .meta({ id: 'NotificationsQuery' });
export type NotificationsQuery = z.infer<typeof notificationsQuery>;

export const notification = z
  .object({
    notificationId: z.string(),
    kind: noticeKind,
    role: noticeRole,
    recipient: z
      .string()
      .nullable()
      .meta({ description: 'Sent or failed: the address used. Pending: the address the directory gives now; null while it has none' }),
    caseId: z.string(),
    stepId: z.string().optional(),
    urgent: z.boolean().meta({ description: 'Urgent notices (escalations) are sent at once, one by one; the rest in one digest per person per day' }),
    createdAt: instant,
    status: noticeStatus,
    statusDetail: z.string().meta({ description: 'Why a notice is where it is, e.g. waiting for an address or for tomorrow’s digest' }),
    attempts: z.number().int().min(0),
    nextAttemptAt: instant.optional().meta({ description: 'Pending: the earliest the next delivery attempt may run' }),
    sentAt: instant.optional(),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof notification>;

export const notificationList = z.object({ items: z.array(notification) }).meta({ id: 'NotificationList' });
