import { CHANNEL, MessageError, messageOf, type RequestEnvelope, type ResponseEnvelope } from './envelope';
import type { MessageName, RequestOf, ResponseOf } from './protocol';

// The sending side, for pages and content scripts. It imports the protocol as types only, so
// zod stays out of the content script's bundle (budget: 30 KB gzipped); the receiver parses every
// request with zod, and answers come from our own background. Content scripts should import this
// file (and ./envelope), not the lib/messaging index, which re-exports the zod schemas.

/** The part of `browser.runtime` a sender needs. */
export interface SendPort {
  sendMessage(message: unknown): Promise<unknown>;
}

/** Messages without fields may be sent without data: `sendMessage('syncNow')`. */
type DataArgs<N extends MessageName> =
  Record<never, never> extends RequestOf<N> ? [data?: RequestOf<N>] : [data: RequestOf<N>];

function isResponseEnvelope(value: unknown): value is ResponseEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const envelope = value as { ok?: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } };
  if (envelope.ok === true) return 'value' in envelope;
  return (
    envelope.ok === false &&
    typeof envelope.error?.code === 'string' &&
    typeof envelope.error.message === 'string'
  );
}

export function createMessageClient(runtime: SendPort) {
  /** Sends a message to the background; throws MessageError when it is refused or fails. */
  return async function sendMessage<N extends MessageName>(
    type: N,
    ...[data]: DataArgs<N>
  ): Promise<ResponseOf<N>> {
    const request: RequestEnvelope = { channel: CHANNEL, type, data: data ?? {} };
    let response: unknown;
    try {
      response = await runtime.sendMessage(request);
    } catch (error) {
      // "Could not establish connection. Receiving end does not exist." and the like.
      const reason = messageOf(error);
      throw new MessageError({ code: 'no-handler', message: `No answer to "${type}": ${reason}` });
    }
    if (response === undefined) {
      throw new MessageError({
        code: 'no-handler',
        message: `No answer to "${type}" (is the background running?)`,
      });
    }
    if (!isResponseEnvelope(response)) {
      throw new MessageError({ code: 'handler-failed', message: `Malformed answer to "${type}"` });
    }
    if (!response.ok) throw new MessageError(response.error);
    return response.value as ResponseOf<N>;
  };
}

export type SendMessage = ReturnType<typeof createMessageClient>;
