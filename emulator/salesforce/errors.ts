// Salesforce error replies: single resources answer a JSON array `[{message, errorCode, fields?}]`;
// collection items use `statusCode` instead (see collections.ts).
import type { HttpReply } from '../http';

export class SfApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
  }

  reply(): HttpReply {
    const item: Record<string, unknown> = { message: this.message, errorCode: this.errorCode };
    if (this.fields) item.fields = this.fields;
    return { status: this.status, body: [item] };
  }
}

export const notFound = () => new SfApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const invalidSession = () => new SfApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export const methodNotAllowed = (method: string, allowed: string[]) =>
  new SfApiError(
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`,
  );

export const jsonParserError = (detail: string) => new SfApiError(400, 'JSON_PARSER_ERROR', detail);

/** The catch-all: never a stack trace, always a Salesforce-shaped 500. */
export function unknownException(): HttpReply {
  const errorId = `${Math.floor(Math.random() * 1e9)}-${Math.floor(Math.random() * 1e5)} (${Math.floor(Math.random() * 1e9)})`;
  return {
    status: 500,
    body: [
      {
        message: `An unexpected error occurred. Please include this ErrorId if you contact support: ${errorId}`,
        errorCode: 'UNKNOWN_EXCEPTION',
      },
    ],
  };
}
