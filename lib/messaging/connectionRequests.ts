import { z } from 'zod';
import { marketoEndpointSchema, salesforceUrlSchema } from '../settings/connection';

// Request schemas of the connection messages (options page → background). Field names match the
// options form's fields, so a refused request's issues show next to the right input.

const clientId = z.string().trim().min(1, 'required').max(256);

export const detectSessionRequest = z.strictObject({
  /** A Salesforce page URL; by default the background looks for an open Salesforce tab. */
  tabUrl: z.url().optional(),
});

export const oauthConnectRequest = z.strictObject({
  loginHost: salesforceUrlSchema,
  clientId,
  myDomain: salesforceUrlSchema.optional(),
});

export const marketoSaveRequest = z.strictObject({
  restEndpoint: marketoEndpointSchema,
  clientId,
  /** Omitted to keep the stored secret. */
  clientSecret: z.string().trim().min(1, 'required').max(512).optional(),
});

export const testConnectionsRequest = z.strictObject({
  only: z.enum(['salesforce', 'marketo']).optional(),
});

export const objectFieldsRequest = z.strictObject({
  objectType: z
    .string()
    .max(80)
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'not a Salesforce object API name'),
});
