// `/composite`: several small requests in one API call (api-facts A8). Used for the idle-cycle
// check: one `SELECT Id FROM X WHERE SystemModstamp > … LIMIT 1` per object, answered together.
// Salesforce allows 25 subrequests per call, at most 5 of them queries or collections, so longer
// lists are split into as few calls as those limits permit (only without allOrNone, which
// cannot span calls).
import { parseWith, ResponseShapeError } from '../http/parse';
import { errorFromResponse } from './errors';
import { CompositeResponse, ErrorBody, queryPageSchema, SObjectRecord } from './schemas';
import { gt, soql } from './soql';
import type { HttpMethod, SalesforceTransport } from './transport';

export const COMPOSITE_LIMIT = 25;
export const COMPOSITE_QUERY_LIMIT = 5;

export interface Subrequest {
  method: HttpMethod;
  /** Full path, e.g. /services/data/v62.0/query?q=… */
  url: string;
  referenceId: string;
  body?: unknown;
}

export interface SubResponse {
  referenceId: string;
  httpStatusCode: number;
  body: unknown;
}

const isQueryOrCollection = (url: string) => /\/(query|queryAll|composite\/sobjects)([/?]|$)/.test(url);

function split(subrequests: readonly Subrequest[]): Subrequest[][] {
  const calls: Subrequest[][] = [];
  let current: Subrequest[] = [];
  let heavy = 0;
  for (const sub of subrequests) {
    const isHeavy = isQueryOrCollection(sub.url);
    if (current.length === COMPOSITE_LIMIT || (isHeavy && heavy === COMPOSITE_QUERY_LIMIT)) {
      calls.push(current);
      current = [];
      heavy = 0;
    }
    current.push(sub);
    if (isHeavy) heavy++;
  }
  if (current.length) calls.push(current);
  return calls;
}

/** Sends the subrequests (in as few calls as allowed); one response per subrequest, in order. */
export async function composite(
  transport: SalesforceTransport,
  subrequests: readonly Subrequest[],
  options: { allOrNone?: boolean } = {},
): Promise<SubResponse[]> {
  const calls = split(subrequests);
  if (options.allOrNone && calls.length > 1) {
    throw new Error(`allOrNone composite cannot be split: ${subrequests.length} subrequests`);
  }
  const out: SubResponse[] = [];
  for (const call of calls) {
    const { data } = await transport.send({
      method: 'POST',
      path: '/composite',
      body: { allOrNone: options.allOrNone ?? false, compositeRequest: call },
      endpoint: 'composite',
      schema: CompositeResponse,
    });
    const byRef = new Map(data?.compositeResponse.map((r) => [r.referenceId, r]));
    for (const sub of call) {
      const response = byRef.get(sub.referenceId);
      if (!response)
        throw new ResponseShapeError('Salesforce composite', 'compositeResponse', `no ${sub.referenceId}`);
      out.push({
        referenceId: sub.referenceId,
        httpStatusCode: response.httpStatusCode,
        body: response.body,
      });
    }
  }
  return out;
}

/** Throws the subrequest's own error (SalesforceApiError) when it did not succeed. */
export function subrequestBody(response: SubResponse): unknown {
  if (response.httpStatusCode < 300) return response.body;
  const errors = ErrorBody.safeParse(response.body);
  throw errorFromResponse(
    response.httpStatusCode,
    errors.success ? errors.data[0] : undefined,
    `composite ${response.referenceId}`,
  );
}

export interface ChangeProbe {
  sobject: string;
  since: Date;
  /** Default SystemModstamp. */
  field?: string;
}

/**
 * For each object, whether any row changed after `since`: one LIMIT 1 query each, batched into
 * composite calls. Returns the objects with changes.
 */
export async function objectsChangedSince(
  transport: SalesforceTransport,
  probes: readonly ChangeProbe[],
): Promise<Set<string>> {
  const page = queryPageSchema(SObjectRecord);
  const subrequests = probes.map((probe, i) => {
    const q = soql({
      select: ['Id'],
      from: probe.sobject,
      where: gt(probe.field ?? 'SystemModstamp', probe.since),
      limit: 1,
    });
    return {
      method: 'GET' as const,
      url: `/services/data/v${transport.apiVersion}/query?${new URLSearchParams({ q })}`,
      referenceId: `probe${i}`,
    };
  });
  const responses = await composite(transport, subrequests);
  const changed = new Set<string>();
  responses.forEach((response, i) => {
    const probe = probes[i]!;
    const result = parseWith(page, subrequestBody(response), `Salesforce composite query ${probe.sobject}`);
    if (result.records.length > 0) changed.add(probe.sobject);
  });
  return changed;
}
