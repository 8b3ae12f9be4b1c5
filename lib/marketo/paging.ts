// Marketo's two paging styles. Lead-DB reads page by position with `nextPageToken`; the asset
// API pages by `offset` until "No assets found". (Date-based activity tokens live in activities.ts.)
import type { z } from 'zod';
import type { MarketoCall, MarketoTransport } from './client';

/**
 * Position paging: follow `nextPageToken` while Marketo says there is more. Get Leads omits
 * `moreResult` and signals more pages by the token alone; other calls send `moreResult:false` on the
 * last page even with a token, so that wins when present.
 */
export async function* positionPages<T extends z.ZodType>(
  transport: MarketoTransport,
  call: MarketoCall,
  item: T,
): AsyncGenerator<z.output<T>[]> {
  let nextPageToken: string | undefined;
  for (;;) {
    const envelope = await transport.call({ ...call, query: { ...call.query, nextPageToken } }, item);
    if (envelope.result.length > 0) yield envelope.result;
    const more = envelope.moreResult ?? envelope.nextPageToken !== undefined;
    if (!more || !envelope.nextPageToken || envelope.nextPageToken === nextPageToken) return;
    nextPageToken = envelope.nextPageToken;
  }
}

/** The asset API's "no hit" is a string warning with no `result` (api-facts B7). */
export function isNoAssetsWarning(warnings: readonly unknown[] | undefined): boolean {
  return (warnings ?? []).some((w) => typeof w === 'string' && /no assets found/i.test(w));
}
