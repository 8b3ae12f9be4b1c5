// POST /composite (api-facts A8): up to 25 subrequests run in order in-process, counted as one
// API call. `@{refId.path}` references read earlier results. With allOrNone, the first failure
// rolls everything back and the other subrequests report PROCESSING_HALTED.
import type { HttpReply } from '../http';
import { type ApiRequest, jsonBody } from './api';
import { SfApiError } from './errors';

const MAX_SUBREQUESTS = 25;
const MAX_QUERIES = 5;

/** Runs one subrequest synchronously, so no other request interleaves with the transaction. */
export type SubDispatch = (
  method: string,
  url: string,
  rawBody: string,
  headers: Record<string, string>,
) => HttpReply;

interface SubRequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const halted = (
  message = 'The transaction was rolled back since another operation in the same transaction failed.',
) => [{ errorCode: 'PROCESSING_HALTED', message }];

function parse(req: ApiRequest): { allOrNone: boolean; subs: SubRequest[] } {
  const body = jsonBody(req) as { allOrNone?: unknown; compositeRequest?: unknown };
  if (!body || !Array.isArray(body.compositeRequest)) {
    throw new SfApiError(
      400,
      'JSON_PARSER_ERROR',
      'compositeRequest: the request body must contain a compositeRequest array',
    );
  }
  if (body.compositeRequest.length > MAX_SUBREQUESTS) {
    throw new SfApiError(
      400,
      'LIMIT_EXCEEDED',
      `compositeRequest: cannot have more than ${MAX_SUBREQUESTS} subrequests`,
    );
  }
  const subs = body.compositeRequest.map((raw: unknown, i: number) => {
    const s = raw as Partial<SubRequest> | null;
    if (
      !s ||
      typeof s.method !== 'string' ||
      typeof s.url !== 'string' ||
      typeof s.referenceId !== 'string'
    ) {
      throw new SfApiError(
        400,
        'JSON_PARSER_ERROR',
        `compositeRequest[${i}]: method, url and referenceId are required`,
      );
    }
    return s as SubRequest;
  });
  // At most 5 of them may be queries or sObject Collections (api-facts A8). The wording of the
  // refusal is ours; Salesforce's is unconfirmed.
  const heavy = subs.filter((sub: SubRequest) =>
    /\/(query|queryAll|composite\/sobjects)([/?]|$)/.test(sub.url),
  );
  if (heavy.length > MAX_QUERIES)
    throw new SfApiError(
      400,
      'LIMIT_EXCEEDED',
      `compositeRequest: cannot have more than ${MAX_QUERIES} query or sObject Collections subrequests`,
    );
  return { allOrNone: body.allOrNone === true, subs };
}

/** Replaces @{ref.path} using earlier results; returns undefined text when a reference is unknown. */
function resolveRefs(text: string, results: Map<string, unknown>): { text: string; missing?: string } {
  let missing: string | undefined;
  const out = text.replace(
    /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g,
    (whole, ref: string, path: string) => {
      let value: unknown = results.get(ref);
      for (const step of path.match(/[A-Za-z0-9_]+|\d+/g) ?? []) {
        value = value && typeof value === 'object' ? (value as Record<string, unknown>)[step] : undefined;
      }
      if (value === undefined || value === null) {
        missing ??= `Invalid reference specified. No value for ${whole.slice(2, -1)} found in ${ref}. Provided referenceId ('${ref}') must match a valid referenceId.`;
        return '';
      }
      return String(value);
    },
  );
  return { text: out, missing };
}

export function handleComposite(req: ApiRequest, dispatch: SubDispatch): HttpReply {
  if (req.method !== 'POST')
    throw new SfApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${req.method}' not allowed. Allowed are POST`,
    );
  const { allOrNone, subs } = parse(req);
  const results = new Map<string, unknown>();
  const responses = req.org.store.transaction(() => {
    const out: SubResponse[] = [];
    for (const sub of subs) {
      const url = resolveRefs(sub.url, results);
      const body = sub.body === undefined ? { text: '' } : resolveRefs(JSON.stringify(sub.body), results);
      const missing = url.missing ?? body.missing;
      const reply: HttpReply = missing
        ? { status: 400, body: halted(missing) }
        : dispatch(sub.method.toUpperCase(), url.text, body.text, sub.httpHeaders ?? {});
      results.set(sub.referenceId, reply.body);
      out.push({
        body: reply.body ?? null,
        httpHeaders: reply.headers ?? {},
        httpStatusCode: reply.status,
        referenceId: sub.referenceId,
      });
      if (reply.status >= 400 && allOrNone) {
        const haltedAll = subs.map((s, i) =>
          i === out.length - 1
            ? out[i]!
            : { body: halted(), httpHeaders: {}, httpStatusCode: 400, referenceId: s.referenceId },
        );
        return { commit: false, value: haltedAll };
      }
    }
    return { commit: true, value: out };
  });
  return { status: 200, body: { compositeResponse: responses } };
}
