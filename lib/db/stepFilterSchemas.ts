import { z } from 'zod';
import { STEP_SORTS, type StepFilter } from './stepFilter';
import { OBJECT_TYPES, OPERATIONS, STEP_STATUSES } from './types';

// zod schemas of the step filter, sort and page cursor, for input that crosses a boundary
// (messages, URLs). Kept apart from the query code so the popup's bundle does not carry zod.

export const stepFilterSchema = z
  .object({
    from: z.number().int().optional(),
    to: z.number().int().optional(),
    objectTypes: z.array(z.enum(OBJECT_TYPES)).optional(),
    operations: z.array(z.enum(OPERATIONS)).optional(),
    statuses: z.array(z.enum(STEP_STATUSES)).optional(),
  })
  .refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, {
    message: '"from" must not be after "to"',
    path: ['from'],
  }) satisfies z.ZodType<StepFilter>;

export const stepSortSchema = z.enum(STEP_SORTS);

/**
 * A page cursor as it travels in messages and URLs. JSON writes the +Infinity sort key of a
 * running step as null, so null reads back as +Infinity (zod 4's z.number() rejects infinities).
 */
export const pageCursorSchema = z.tuple([
  z.union([
    z.number(),
    z.literal(Number.POSITIVE_INFINITY),
    z.null().transform(() => Number.POSITIVE_INFINITY),
  ]),
  z.number().int(),
]);
