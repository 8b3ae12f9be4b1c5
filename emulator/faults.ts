// Fault injection for both ports, applied by the server wrapper before a request reaches either
// API: error replies (Salesforce `[{message, errorCode}]`; Marketo HTTP 200 envelope with
// `success:false`), latency, malformed JSON, schema-breaking JSON, dropped connections, a server
// that never answers, and a reply lost after the request was carried out — always, once, N times,
// or with a probability (seeded, so runs repeat).

import type { HttpReply } from './http';
import { ERROR_MESSAGES } from './marketo/envelope';
import { mulberry32 } from './rng';

export type Side = 'salesforce' | 'marketo';
/**
 * - 'drop': the connection closes before the request is handled (nothing was done).
 * - 'hang': the server holds the connection and never answers, so the client's own timeout fires;
 *   the request is not handled (a gateway that stalled before reaching the API).
 * - 'dropAfter': the request is handled (a write is done), then the connection closes with no
 *   reply — the client cannot tell it from 'drop' and must not assume the write did not happen.
 */
export type FaultKind = 'error' | 'latency' | 'malformed' | 'schema' | 'drop' | 'hang' | 'dropAfter';

export interface FaultSpec {
  side: Side;
  kind: FaultKind;
  /**
   * Request path pattern. Without `*` it is a prefix ("/services/data/v62.0/query");
   * `*` matches within one path segment, `**` across segments ("/services/data/*\/query**").
   */
  route?: string;
  /** HTTP method; any when omitted. */
  method?: string;
  /** For kind 'error': the HTTP status (Salesforce; Marketo only when no errorCode). */
  status?: number;
  /** For kind 'error': Salesforce errorCode or Marketo error code (e.g. "606"). */
  errorCode?: string;
  message?: string;
  /** For kind 'error' with an HTTP error status: a `Retry-After` header, in seconds (503, 429). */
  retryAfterSeconds?: number;
  /** Delay before answering; kind 'latency' only delays, other kinds may add it too. */
  latencyMs?: number;
  /** How many matching requests it affects; always when omitted ("once" = 1). */
  times?: number;
  /**
   * Lets the first `after` matching requests through, in the order they reach the emulator: "the
   * second write fails" when the client sends the next one before the first is answered.
   */
  after?: number;
  /** Chance per matching request (0..1); 1 when omitted. */
  probability?: number;
}

export interface Fault extends FaultSpec {
  id: string;
  hits: number;
  /** Matching requests seen, the ones let through (`after`) included. */
  seen: number;
}

export interface FaultDecision {
  latencyMs: number;
  terminal?: Fault;
}

function globToRegExp(glob: string): RegExp {
  if (!glob.includes('*')) return new RegExp(`^${escapeRegExp(glob)}`);
  const re = glob
    .split('**')
    .map((part) => part.split('*').map(escapeRegExp).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${re}$`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

const SF_DEFAULT_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'INVALID_SESSION_ID',
  403: 'REQUEST_LIMIT_EXCEEDED',
  404: 'NOT_FOUND',
  500: 'UNKNOWN_EXCEPTION',
  503: 'SERVER_UNAVAILABLE',
};
const SF_DEFAULT_STATUS: Record<string, number> = {
  INVALID_SESSION_ID: 401,
  REQUEST_LIMIT_EXCEEDED: 403,
  API_DISABLED_FOR_ORG: 403,
  INSUFFICIENT_ACCESS: 403,
  NOT_FOUND: 404,
  UNKNOWN_EXCEPTION: 500,
  SERVER_UNAVAILABLE: 503,
};

export class FaultInjector {
  private faults: Fault[] = [];
  private patterns = new Map<string, RegExp>();
  private counter = 0;
  private random = mulberry32(7);

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: `fault-${++this.counter}`, hits: 0, seen: 0 };
    this.faults.push(fault);
    if (spec.route) this.patterns.set(fault.id, globToRegExp(spec.route));
    return fault;
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length < before;
  }

  clear(): void {
    this.faults = [];
    this.patterns.clear();
    this.random = mulberry32(7);
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Picks the faults for one request and uses them up. */
  decide(side: Side, method: string, path: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const fault of this.faults) {
      if (fault.side !== side) continue;
      if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) continue;
      const pattern = this.patterns.get(fault.id);
      if (pattern && !pattern.test(path)) continue;
      if (++fault.seen <= (fault.after ?? 0)) continue;
      if (fault.times !== undefined && fault.hits >= fault.times) continue;
      if (fault.kind !== 'latency' && decision.terminal) continue;
      if (fault.probability !== undefined && this.random() >= fault.probability) continue;
      fault.hits++;
      decision.latencyMs += fault.latencyMs ?? 0;
      if (fault.kind !== 'latency') decision.terminal = fault;
    }
    return decision;
  }
}

let marketoRequestCounter = 0;

/** The reply a terminal fault produces ('drop', 'hang' and 'dropAfter' are the server's: no reply). */
export function faultReply(fault: Fault, now: number): HttpReply {
  const marketoId = () => `${(++marketoRequestCounter).toString(16)}#${now.toString(16)}`;
  if (fault.kind === 'malformed') {
    const text =
      fault.side === 'salesforce'
        ? '{"totalSize":1,"done":true,"records":[{"attributes":'
        : `{"requestId":"${marketoId()}","success":true,"result":[{"id":`;
    return { status: 200, text, headers: { 'Content-Type': 'application/json;charset=UTF-8' } };
  }
  if (fault.kind === 'schema') {
    const body =
      fault.side === 'salesforce'
        ? { totalSize: 'many', done: 'perhaps', records: { unexpected: true }, id: 42, success: 'yes' }
        : { requestId: 42, success: 'yes', result: { unexpected: true }, nextPageToken: 7 };
    return { status: 200, body };
  }
  if (fault.side === 'salesforce') {
    const errorCode = fault.errorCode ?? SF_DEFAULT_CODES[fault.status ?? 500] ?? 'UNKNOWN_EXCEPTION';
    const status = fault.status ?? SF_DEFAULT_STATUS[errorCode] ?? 400;
    return {
      status,
      body: [{ message: fault.message ?? `Injected fault: ${errorCode}`, errorCode }],
      ...retryAfter(fault),
    };
  }
  if (fault.errorCode) {
    const message = fault.message ?? ERROR_MESSAGES[fault.errorCode] ?? 'Injected fault';
    return {
      status: fault.status ?? 200,
      body: { requestId: marketoId(), success: false, errors: [{ code: fault.errorCode, message }] },
    };
  }
  const status = fault.status ?? 502;
  return {
    status,
    text: `<html><head><title>${status}</title></head><body><h1>${status}</h1></body></html>`,
    ...retryAfter(fault),
  };
}

const retryAfter = (fault: Fault) =>
  fault.retryAfterSeconds === undefined
    ? {}
    : { headers: { 'Retry-After': String(fault.retryAfterSeconds) } };
