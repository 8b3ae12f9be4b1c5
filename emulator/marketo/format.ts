// Wire formats shared by the routes (api-facts B11): lead-database datetimes are ISO 8601 without
// milliseconds ending in Z; asset datetimes carry the odd "Z+0000" suffix.
import type { MarketoRequest } from './request';
import type { MarketoStore } from './store';

export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export function assetDate(ms: number): string {
  return `${isoSeconds(ms)}+0000`;
}

/** Accepts ISO 8601 with Z or an offset (also "+0000" without colon) and plain dates. */
export function parseDateTime(text: string): number | null {
  const normalized = text
    .trim()
    .replace(/([+-]\d\d)(\d\d)$/, '$1:$2')
    .replace(/Z\+00:00$/, 'Z');
  if (!/^\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:\d\d)?)?$/.test(normalized)) return null;
  const ms = Date.parse(normalized);
  return Number.isFinite(ms) ? ms : null;
}

export type Body = Record<string, unknown>;

export interface RouteContext {
  req: MarketoRequest;
  store: MarketoStore;
  /** Path captures of the matched route. */
  match: RegExpExecArray;
}

export interface Route {
  methods: string[];
  pattern: RegExp;
  handle(ctx: RouteContext): Body;
}

export function ok(result: unknown[], extra: Body = {}): Body {
  return { success: true, result, ...extra };
}
