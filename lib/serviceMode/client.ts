import { ZodError, type ZodType, type z } from 'zod';
import type { StepFilter, StepSort } from '../db/stepFilter';
import type { FetchPort } from '../http/ports';
import {
  API_PREFIX,
  errorResponseSchema,
  failuresResponseSchema,
  metricsResponseSchema,
  recordResponseSchema,
  stateResponseSchema,
  stepRecordsResponseSchema,
  stepsResponseSchema,
  syncNowResponseSchema,
} from '../service/statusApi';
import { describeIssues, fieldIssues } from '../settings/issues';
import type { ServiceConnection } from '../settings/serviceConnection';
import { networkReason, ServiceError } from './errors';

// The extension's client of the service's status API (lib/service/statusApi.ts; docs/service-mode.md).
// It runs in the background only (the token is a secret, never handed to a page), with fetch
// injected. Every answer is parsed with the API's own zod shapes; anything else is a ServiceError
// whose message says what went wrong in words the pages show as they are.

/** A service that has not answered in this time is reported unreachable (the popup polls every 5 s). */
export const SERVICE_TIMEOUT_MS = 15_000;

export interface ServiceClientOptions extends ServiceConnection {
  token: string;
  fetch: FetchPort;
  timeoutMs?: number;
}

export type ServiceState = z.output<typeof stateResponseSchema>;
export type ServiceSteps = z.output<typeof stepsResponseSchema>;
export type ServiceStepRecords = z.output<typeof stepRecordsResponseSchema>;
export type ServiceMetrics = z.output<typeof metricsResponseSchema>;
export type ServiceRecord = z.output<typeof recordResponseSchema>;
export type ServiceFailures = z.output<typeof failuresResponseSchema>;
export type ServiceSyncNow = z.output<typeof syncNowResponseSchema>;

type Query = Record<string, string | number | object | undefined>;

export function createServiceClient(options: ServiceClientOptions) {
  const { url, orgId, token } = options;
  const base = `${url}${API_PREFIX}/${encodeURIComponent(orgId)}`;

  async function call(method: 'GET' | 'POST', path: string, query: Query = {}): Promise<Response> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined)
        search.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
    const target = `${base}/${path}${search.size ? `?${search}` : ''}`;
    const what = `${method} ${API_PREFIX}/${orgId}/${path}`;
    let response: Response;
    try {
      response = await options.fetch(target, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? SERVICE_TIMEOUT_MS),
      });
    } catch (error) {
      throw new ServiceError('unreachable', `Could not reach the service at ${url}: ${networkReason(error)}`);
    }
    if (response.ok) return response;
    const said = await errorText(response);
    if (response.status === 401)
      throw new ServiceError(
        'token-refused',
        `The service at ${url} refused the token for org ${orgId} (401${said ? `: ${said}` : ''}). Paste the token \`npm run service -- add-org\` printed for this org.`,
        401,
      );
    if (response.status === 404)
      throw new ServiceError(
        'not-found',
        `The service at ${url} answered 404 to ${what}${said ? `: ${said}` : ''}`,
        404,
      );
    throw new ServiceError(
      'http',
      `The service at ${url} answered ${response.status} to ${what}${said ? `: ${said}` : ''}`,
      response.status,
    );
  }

  async function json<T extends ZodType>(
    schema: T,
    method: 'GET' | 'POST',
    path: string,
    query?: Query,
  ): Promise<z.output<T>> {
    const response = await call(method, path, query);
    const what = `${method} ${API_PREFIX}/${orgId}/${path}`;
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new ServiceError(
        'bad-answer',
        `The service's answer to ${what} is not JSON (${networkReason(error)}): is ${url} the status API of \`npm run service\`?`,
        response.status,
      );
    }
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    throw new ServiceError(
      'bad-answer',
      `The service's answer to ${what} is not one this extension reads: ${describeAnswerIssues(parsed.error)}`,
      response.status,
    );
  }

  return {
    /** The popup header: the org, pause, running, next run, last cycle, connections. */
    state: () => json(stateResponseSchema, 'GET', 'state'),
    steps: (request: { filter: StepFilter; sort: StepSort; limit: number; after?: [number, number] }) =>
      json(stepsResponseSchema, 'GET', 'steps', {
        filter: request.filter,
        sort: request.sort,
        limit: request.limit,
        // A running step's +Infinity sort key travels as null (pageCursorSchema reads it back).
        after: request.after?.map((n) => (Number.isFinite(n) ? n : null)),
      }),
    stepRecords: (stepId: number, limit: number) =>
      json(stepRecordsResponseSchema, 'GET', `steps/${stepId}/records`, { limit }),
    metrics: (from: number) => json(metricsResponseSchema, 'GET', 'metrics', { from: Math.max(0, from) }),
    record: (objectType: string, recordId: string) =>
      json(
        recordResponseSchema,
        'GET',
        `records/${encodeURIComponent(objectType)}/${encodeURIComponent(recordId)}`,
      ),
    /** A page of the sync errors matching the filter (the CSV's rows), in the table's order. */
    failures: (request: { filter: StepFilter; sort: StepSort; offset: number; limit: number }) =>
      json(failuresResponseSchema, 'GET', 'failures', { ...request, format: 'json' }),
    syncNow: () => json(syncNowResponseSchema, 'POST', 'sync-now'),
    setPaused: (paused: boolean) => json(stateResponseSchema, 'POST', paused ? 'pause' : 'resume'),
  };
}

export type ServiceClient = ReturnType<typeof createServiceClient>;

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  errors?: Issue[][];
}

/**
 * The first few problems of a bad answer, each naming its field. An answer that matches no branch of
 * a union (the record panel's: a notice, or a status) is described by the branch it came closest to,
 * not by zod's bare "Invalid input".
 */
export function describeAnswerIssues(error: z.ZodError): string {
  const flat = (issues: Issue[], prefix: PropertyKey[]): Issue[] =>
    issues.flatMap((issue) => {
      const path = [...prefix, ...issue.path];
      if (issue.code !== 'invalid_union' || !issue.errors?.length) return [{ ...issue, path }];
      // The branch that read furthest into the answer before it failed is the one it was meant as.
      const depth = (branch: Issue[]) => Math.max(...branch.map((i) => i.path.length));
      const closest = [...issue.errors].sort((a, b) => depth(b) - depth(a) || a.length - b.length)[0]!;
      return flat(closest, path);
    });
  const issues = flat(error.issues as Issue[], []);
  const shown = describeIssues(fieldIssues(new ZodError(issues.slice(0, 3) as z.core.$ZodIssue[])));
  return issues.length > 3 ? `${shown}; and ${issues.length - 3} more` : shown;
}

/** The `error` of a JSON error answer (statusApi's errorResponseSchema), or nothing. */
async function errorText(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = errorResponseSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data.error;
  } catch {
    // Not JSON: a proxy's page, say; its first line is shown.
  }
  return text.split('\n', 1)[0]!.slice(0, 200).trim();
}
