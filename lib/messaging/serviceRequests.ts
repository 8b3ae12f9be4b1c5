import { z } from 'zod';
import { orgIdSchema } from '../service/orgConfig';
import { serviceTokenSchema, serviceUrlSchema } from '../settings/serviceConnection';

// Request schemas of the options page's "Sync runs in" messages (issue 21). Field names match the
// form's fields, so a refused request's issues show next to the right input.

/** An empty field is a field left out. */
const blankless = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema);

/** A field that must be filled in: "required" rather than zod's "expected string, received undefined". */
const required = <T extends z.ZodType<unknown, string>>(schema: T) =>
  blankless(z.string({ error: 'required' }).pipe(schema));

/** The service's URL and org; the token when typed (omitted: the saved one, for the same service and org). */
const serviceFields = {
  url: required(serviceUrlSchema),
  orgId: required(orgIdSchema),
  token: blankless(serviceTokenSchema.optional()),
};

export const saveServiceRequest = z.discriminatedUnion('syncRunsIn', [
  // This browser runs the cycles; a service's URL and org may stay saved for later (valid ones).
  z.strictObject({
    syncRunsIn: z.literal('browser'),
    url: blankless(serviceUrlSchema.optional()),
    orgId: blankless(orgIdSchema.optional()),
    token: serviceFields.token,
  }),
  z.strictObject({ syncRunsIn: z.literal('service'), ...serviceFields }),
]);
export type SaveServiceRequest = z.output<typeof saveServiceRequest>;

export const testServiceRequest = z.strictObject(serviceFields);
export type TestServiceRequest = z.output<typeof testServiceRequest>;
