// Marketo's response envelope (api-facts B2): nearly everything is HTTP 200 and failure lives in
// `success:false` + `errors`. Lead-database warnings are `{code, message}` objects, asset-API
// warnings are plain strings; both are accepted.
import { z } from 'zod';
import { ResponseShapeError } from '../http/parse';
import { type MarketoReason, type MarketoRecordStatus, reasonSchema } from './schemas';

const warningSchema = z.union([z.string(), reasonSchema]);

export const baseEnvelopeSchema = z.object({
  requestId: z.string().optional(),
  success: z.boolean(),
  errors: z.array(reasonSchema).optional(),
  warnings: z.array(warningSchema).optional(),
});

/** The envelope of a call whose `result` items are `item`; `result` may be missing on no hits. */
export function envelopeOf<T extends z.ZodType>(item: T) {
  return baseEnvelopeSchema.extend({
    result: z.array(item).default([]),
    moreResult: z.boolean().optional(),
    nextPageToken: z.string().optional(),
  });
}

export type MarketoEnvelope<T> = {
  requestId?: string;
  success: boolean;
  result: T[];
  warnings?: (string | MarketoReason)[];
  moreResult?: boolean;
  nextPageToken?: string;
};

/** Typed outcome of one input record of a write (sync, delete, member status...). */
export interface MarketoRecordOutcome {
  status: MarketoRecordStatus;
  /** Lead id, or the custom object's marketoGUID; usually absent on a skip. */
  id?: number | string;
  reasons: MarketoReason[];
}

interface RawResult {
  seq?: number;
  status: MarketoRecordStatus;
  reasons?: MarketoReason[];
}

/**
 * Turns a write's results into one outcome per input, in input order. Items carrying `seq` (custom
 * objects, program members) are placed by it; the others are positional (B4). A count that does
 * not match the inputs would misattribute outcomes, so it is a shape error, not a guess.
 */
export function toOutcomes<R extends RawResult>(
  results: R[],
  inputCount: number,
  endpoint: string,
  idOf: (result: R) => number | string | undefined,
): MarketoRecordOutcome[] {
  if (results.length !== inputCount) {
    throw new ResponseShapeError(endpoint, 'result', `has ${results.length} items for ${inputCount} inputs`);
  }
  const outcomes = new Array<MarketoRecordOutcome | undefined>(inputCount);
  results.forEach((result, position) => {
    const index = result.seq ?? position;
    if (index < 0 || index >= inputCount || outcomes[index]) {
      throw new ResponseShapeError(
        endpoint,
        `result.${position}.seq`,
        `${index} is out of range or repeated`,
      );
    }
    const id = idOf(result);
    outcomes[index] = {
      status: result.status,
      ...(id === undefined ? {} : { id }),
      reasons: result.reasons ?? [],
    };
  });
  return outcomes as MarketoRecordOutcome[];
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Lead-DB batch size for writes, filter values and pages (B2). */
export const MARKETO_BATCH = 300;
