import type { FieldIssue } from '../settings/issues';

// The wire format. Requests carry a channel name so listeners ignore messages that other code
// (WXT internals, libraries) sends over runtime messaging. Answers are plain data because Chrome
// structured-clones them: an Error thrown by a handler would arrive as `{}`.

export const CHANNEL = 'salesforce-sync-status';

/** What went wrong, in words: an Error's message, anything else as text. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export interface RequestEnvelope {
  channel: typeof CHANNEL;
  type: string;
  data: unknown;
}

export type MessageErrorCode =
  /** The sender is not this extension's page or content script, or may not send this message. */
  | 'refused-sender'
  /** The payload does not match the message's schema; `issues` names the fields. */
  | 'invalid-request'
  | 'unknown-message'
  /** The handler threw; `message` is its error message. */
  | 'handler-failed'
  /** Nobody answered (the background did not register a handler, or could not be reached). */
  | 'no-handler';

export interface WireError {
  code: MessageErrorCode;
  message: string;
  issues?: FieldIssue[];
}

export type ResponseEnvelope = { ok: true; value: unknown } | { ok: false; error: WireError };

export function isRequestEnvelope(message: unknown): message is RequestEnvelope {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as RequestEnvelope).channel === CHANNEL &&
    typeof (message as RequestEnvelope).type === 'string'
  );
}

export class MessageError extends Error {
  readonly code: MessageErrorCode;
  readonly issues: FieldIssue[];

  constructor(error: WireError) {
    super(error.message);
    this.name = 'MessageError';
    this.code = error.code;
    this.issues = error.issues ?? [];
  }
}
