/**
 * The self-assessment's HTTP contract as zod schemas: what the routes validate with and what the
 * OpenAPI document is generated from (each named with `.meta({ id })`). Principle and theme ids
 * are enums of the framework's own, so an unknown principle is refused naming its field.
 */
import { z } from 'zod';
import { freeText, isoDate } from '../domain/schemas';
import { MAX_PRIORITIES, NEED_IDS, PRINCIPLE_IDS, THEME_IDS } from './principles';

const RATING_RULE = 'must be a whole number from 1 to 5';

export const principleId = z.enum(PRINCIPLE_IDS, { message: 'is not a principle of the self-assessment' }).meta({ id: 'SelfAssessmentPrincipleId' });
export const themeId = z.enum(THEME_IDS, { message: 'is not a theme of the self-assessment' }).meta({ id: 'SelfAssessmentThemeId' });
export const rating = z
  .number({ message: RATING_RULE })
  .int({ message: RATING_RULE })
  .min(1, { message: RATING_RULE })
  .max(5, { message: RATING_RULE })
  .meta({ description: '1: the municipality lives up to the principle to a very low degree … 5: to a very high degree' });
export const need = z.enum(NEED_IDS).meta({
  description: 'What is needed (the tool’s step 3): competences of staff and leaders, knowledge, shared procedures, maintenance, other',
});

const name = freeText().trim().min(1).max(120);
const note = freeText().trim().min(1).max(4000);

export const participantInput = z
  .object({
    name: name.meta({ description: 'The participant’s name (staff, never a pupil)', example: 'Anne Holm' }),
    function: freeText().trim().min(1).max(120).meta({ description: 'Their function, e.g. school leader, PPR, the family department', example: 'PPR' }),
  })
  .strict()
  .meta({ id: 'SelfAssessmentParticipantInput' });

export const createRoundInput = z
  .object({
    title: freeText().trim().min(1).max(200).meta({ example: 'Selvevaluering 2026' }),
    heldOn: isoDate.meta({ description: 'The day the group meets' }),
    participants: z.array(participantInput).min(1).max(40),
  })
  .strict()
  .meta({ id: 'SelfAssessmentRoundInput' });
export type CreateRoundInput = z.infer<typeof createRoundInput>;

const unique = <T>(key: (item: T) => string, message: string) => (list: readonly T[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  list.forEach((item, index) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [index], message });
    seen.add(k);
  });
};

export const ratingsInput = z
  .object({
    ratings: z
      .array(z.object({ principleId, rating, comment: note.optional() }).strict())
      .max(PRINCIPLE_IDS.length)
      .superRefine(unique((r) => r.principleId, 'rates the same principle twice'))
      .default([]),
    themes: z
      .array(
        z
          .object({
            themeId,
            overall: rating.optional().meta({ description: 'The participant’s one overall number for the theme' }),
            note: note.optional().meta({ description: 'Where are we well on the way, and what needs attention?' }),
          })
          .strict(),
      )
      .max(THEME_IDS.length)
      .superRefine(unique((t) => t.themeId, 'names the same theme twice'))
      .default([]),
  })
  .strict()
  .meta({ id: 'SelfAssessmentRatingsInput', description: 'Ratings saved (or replaced) for one participant; principles left out keep what they had' });
export type RatingsInput = z.infer<typeof ratingsInput>;

export const discussionInput = z
  .object({
    themes: z
      .array(z.object({ themeId, note: freeText().trim().max(4000) }).strict())
      .max(THEME_IDS.length)
      .superRefine(unique((t) => t.themeId, 'names the same theme twice')),
  })
  .strict()
  .meta({ id: 'SelfAssessmentDiscussionInput', description: 'The group’s notes from the discussion (step 2), per theme; an empty note removes it' });
export type DiscussionInput = z.infer<typeof discussionInput>;

export const priorityInput = z
  .object({
    title: freeText().trim().min(1).max(300).meta({ description: 'What the municipality should focus on' }),
    themeId: themeId.optional(),
    need: need.optional(),
    nextSteps: note.meta({ description: 'The agreed next steps' }),
    owner: name.meta({ description: 'Who does it' }),
    dueOn: isoDate.meta({ description: 'By when; not before the round' }),
  })
  .strict()
  .meta({ id: 'SelfAssessmentPriorityInput' });

export const prioritiesInput = z
  .object({ priorities: z.array(priorityInput).max(MAX_PRIORITIES, { message: `at most ${MAX_PRIORITIES} priorities` }) })
  .strict()
  .meta({ id: 'SelfAssessmentPrioritiesInput', description: 'The group’s priorities (step 3), replacing any set before' });
export type PrioritiesInput = z.infer<typeof prioritiesInput>;

// ---- Answers ---------------------------------------------------------------------------------

export const participant = participantInput
  .extend({
    participantId: z.uuid(),
    rated: z.number().int().meta({ description: 'Principles this participant has rated' }),
    total: z.number().int(),
  })
  .meta({ id: 'SelfAssessmentParticipant' });

export const priority = priorityInput.extend({ position: z.number().int().min(1).max(MAX_PRIORITIES) }).meta({ id: 'SelfAssessmentPriority' });
export type Priority = z.infer<typeof priority>;

export const round = z
  .object({
    roundId: z.uuid(),
    title: z.string(),
    heldOn: isoDate,
    framework: z.string(),
    createdBy: z.string(),
    participants: z.array(participant),
    ratings: z.array(z.object({ participantId: z.uuid(), principleId, rating, comment: z.string().optional() })),
    themeNotes: z.array(z.object({ participantId: z.uuid(), themeId, overall: rating.optional(), note: z.string().optional() })),
    discussion: z.array(z.object({ themeId, note: z.string() })),
    priorities: z.array(priority),
  })
  .meta({ id: 'SelfAssessmentRound' });
export type Round = z.infer<typeof round>;

export const roundSummary = z
  .object({
    roundId: z.uuid(),
    title: z.string(),
    heldOn: isoDate,
    participants: z.number().int(),
    ratedShare: z.number().meta({ description: 'Share of all ratings (participants × principles) given, 0–1, 3 decimals' }),
    priorities: z.number().int(),
  })
  .meta({ id: 'SelfAssessmentRoundSummary' });
export const roundList = z.object({ items: z.array(roundSummary) }).meta({ id: 'SelfAssessmentRoundList' });

const stat = z.number().nullable();

export const serviceFigure = z
  .object({
    key: z.string(),
    label: z.string().meta({ description: 'In Danish' }),
    value: z.number().nullable().meta({ description: 'A share 0–1 (unit share) or a count; null when nothing was due' }),
    unit: z.enum(['share', 'count']),
    basis: z.number().int().meta({ description: 'How many steps or cases the figure is counted over' }),
  })
  .meta({ id: 'SelfAssessmentServiceFigure' });
export type ServiceFigure = z.infer<typeof serviceFigure>;

export const principleResult = z
  .object({
    principleId,
    text: z.string(),
    ratings: z.array(z.object({ participantId: z.uuid(), rating: rating.nullable(), comment: z.string().optional() })),
    count: z.number().int(),
    average: stat.meta({ description: 'Mean of the ratings given, 2 decimals' }),
    spread: stat.meta({ description: 'Highest minus lowest rating' }),
    standardDeviation: stat.meta({ description: 'Population standard deviation, 2 decimals' }),
    discuss: z.boolean().meta({ description: 'Among the principles where participants differ most (for the group discussion)' }),
  })
  .meta({ id: 'SelfAssessmentPrincipleResult' });
export type PrincipleResult = z.infer<typeof principleResult>;

export const themeResult = z
  .object({
    themeId,
    title: z.string(),
    count: z.number().int(),
    average: stat.meta({ description: 'Mean of every rating given in the theme, 2 decimals' }),
    spread: stat,
    standardDeviation: stat,
    overall: z.object({
      byParticipant: z.array(z.object({ participantId: z.uuid(), overall: rating.nullable() })),
      average: stat,
      spread: stat,
    }),
    notes: z.array(z.object({ participantId: z.uuid(), note: z.string() })),
    discussion: z.string().nullable(),
    principles: z.array(principleResult),
    serviceFigures: z.array(serviceFigure),
    earlier: z
      .object({ average: stat, overallAverage: stat, change: stat.meta({ description: 'This round’s average minus the earlier one’s' }) })
      .nullable(),
  })
  .meta({ id: 'SelfAssessmentThemeResult' });
export type ThemeResult = z.infer<typeof themeResult>;

export const roundResult = z
  .object({
    roundId: z.uuid(),
    title: z.string(),
    heldOn: isoDate,
    participants: z.array(participant),
    themes: z.array(themeResult),
    mostDivergent: z.array(principleId).meta({ description: 'Up to three principles where participants differ most (spread of 2 or more), most first' }),
    priorities: z.array(priority),
    figuresPeriod: z.object({ from: isoDate, to: isoDate }).meta({ description: 'The period the service’s own figures are counted over: the year up to the round' }),
    earlier: z
      .object({
        roundId: z.uuid(),
        title: z.string(),
        heldOn: isoDate,
        principles: z.array(z.object({ principleId, average: stat })),
        priorities: z.array(priority),
      })
      .nullable()
      .meta({ description: 'The latest round held before this one, compared theme by theme' }),
  })
  .meta({ id: 'SelfAssessmentResult' });
export type RoundResult = z.infer<typeof roundResult>;

export const framework = z
  .object({
    id: z.string(),
    title: z.string(),
    source: z.string(),
    scale: z.object({ min: z.number(), max: z.number(), question: z.string(), labels: z.record(z.string(), z.string()) }),
    steps: z.array(z.object({ title: z.string(), text: z.string() })),
    themes: z.array(z.object({ id: themeId, title: z.string(), principles: z.array(z.object({ id: principleId, text: z.string() })) })),
    needs: z.record(z.string(), z.string()),
  })
  .meta({ id: 'SelfAssessmentFramework' });
