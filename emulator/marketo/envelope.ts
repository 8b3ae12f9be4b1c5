// Marketo's response envelope: almost everything is HTTP 200 and failure lives in the body
// (api-facts B2). Error codes are *quoted* integers; lead-database warnings are objects while the
// asset API's are plain strings (B7).
import type { ServerResponse } from 'node:http';

export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** Messages from error-codes.md and recorded fixtures (api-facts B3). */
export const ERROR_MESSAGES: Record<string, string> = {
  '601': 'Access token invalid',
  '602': 'Access token expired',
  '603': 'Access denied',
  '604': 'Request time-out',
  '605': 'HTTP Method not supported',
  // With the default limits (100 calls per 20 s, 10 concurrent); limits.ts words them from the
  // configured numbers.
  '606': "Max rate limit '100' exceeded with in '20' secs",
  '607': 'Daily quota reached',
  '608': 'API Temporarily Unavailable',
  '609': 'Invalid JSON',
  '610': 'Requested resource not found',
  '611': 'System error',
  '612': 'Invalid Content Type',
  '615': "Concurrent access limit '10' reached",
};

/** Codes whose failed calls do not count against quota or rate (the asterisked ones in B3). */
export const UNCOUNTED_CODES = new Set(['601', '602', '604', '605', '608', '611']);

export interface MarketoError {
  code: string;
  message: string;
}

export class MarketoRequestError extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message ?? ERROR_MESSAGES[code] ?? 'Error');
  }
}

export function requestIdFor(now: number, counter: number): string {
  // `<hex>#<hex epoch-ms>` like "e42b#14272d07d78".
  return `${(counter & 0xfffff).toString(16)}#${now.toString(16)}`;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Plain-text HTTP errors (413/414/404) come from Marketo's web tier, not the API. */
export function sendHttpError(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html;charset=UTF-8', Connection: 'close' });
  res.end(
    `<html><head><title>${status} ${text}</title></head><body><h1>${status} ${text}</h1></body></html>`,
  );
}

export function errorBody(requestId: string, code: string, message?: string): Record<string, unknown> {
  return {
    requestId,
    success: false,
    errors: [{ code, message: message ?? ERROR_MESSAGES[code] ?? 'Error' }],
  };
}
