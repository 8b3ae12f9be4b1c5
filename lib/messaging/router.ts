import { describeIssues, fieldIssues } from '../settings/issues';
import { contentScriptRefusal } from './contentScriptScope';
import { isRequestEnvelope, type RequestEnvelope, type ResponseEnvelope, type WireError } from './envelope';
import { type MessageName, type ParsedRequestOf, protocol, type ResponseOf } from './protocol';
import { classifySender, type ExtensionIdentity, type SenderContext, type SenderInfo } from './sender';

// The receiving side, used by the background. A thin layer over runtime.onMessage rather than
// @webext-core/messaging: that library (v4) calls chrome.* with callbacks directly, so lib/ could
// not run it behind a port, it answers handler errors with its own serialisation, and it would
// still need this sender check and zod parsing wrapped around every handler.

export type RuntimeListener = (
  message: unknown,
  sender: SenderInfo,
  sendResponse?: (response: unknown) => void,
) => unknown;

/** The part of `browser.runtime` the router needs; the background passes `browser.runtime`. */
export interface RuntimePort extends ExtensionIdentity {
  onMessage: {
    addListener(listener: RuntimeListener): void;
    removeListener(listener: RuntimeListener): void;
  };
}

export type MessageHandler<N extends MessageName> = (
  data: ParsedRequestOf<N>,
  sender: SenderContext,
) => ResponseOf<N> | Promise<ResponseOf<N>>;

export interface RefusedMessage {
  type: string;
  error: WireError;
  sender: SenderInfo;
}

export interface MessageRouterOptions {
  /** Told about every refused or failed message (default: console.warn), for the log. */
  onRefused?: (refused: RefusedMessage) => void;
  /**
   * The connected org's page origins (lib/messaging/contentScriptScope.ts): content scripts are
   * answered only there. Without it every content-script message is refused.
   */
  orgOrigins?: () => Promise<readonly string[]>;
}

export function createMessageRouter(runtime: RuntimePort, options: MessageRouterOptions = {}) {
  const handlers = new Map<string, (data: unknown, sender: SenderContext) => unknown>();
  const report =
    options.onRefused ??
    ((r: RefusedMessage) => console.warn(`[messaging] "${r.type}" refused: ${r.error.message}`, r.sender));

  async function answer(message: RequestEnvelope, sender: SenderInfo): Promise<ResponseEnvelope> {
    const fail = (error: WireError): ResponseEnvelope => {
      report({ type: message.type, error, sender });
      return { ok: false, error };
    };
    const context = classifySender(sender, runtime);
    if ('refused' in context) return fail({ code: 'refused-sender', message: `Refused: ${context.refused}` });
    const spec = protocol[message.type as MessageName];
    const handler = handlers.get(message.type);
    if (!spec || !handler)
      return fail({ code: 'unknown-message', message: `Unknown message "${message.type}"` });
    if (context.kind === 'content-script' && !spec.contentScripts) {
      return fail({
        code: 'refused-sender',
        message: `Refused: "${message.type}" is accepted from the extension's own pages only`,
      });
    }
    const parsed = spec.request.safeParse(message.data);
    if (!parsed.success) {
      const issues = fieldIssues(parsed.error);
      return fail({
        code: 'invalid-request',
        message: `Invalid "${message.type}" request: ${describeIssues(issues)}`,
        issues,
      });
    }
    if (context.kind === 'content-script' && spec.contentScripts) {
      const origins = (await options.orgOrigins?.().catch(() => [])) ?? [];
      const refused = contentScriptRefusal(spec.contentScripts, context, origins, message.data);
      if (refused) return fail({ code: 'refused-sender', message: `Refused: ${refused}` });
    }
    try {
      return { ok: true, value: await handler(parsed.data, context) };
    } catch (error) {
      return fail({
        code: 'handler-failed',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  const listener: RuntimeListener = (message, sender, sendResponse) => {
    // Not ours, or a message this context does not handle: stay silent so another listener (or
    // another extension context) can answer.
    if (!isRequestEnvelope(message) || !handlers.has(message.type)) return undefined;
    const reply = answer(message, sender);
    // Chrome answers through sendResponse (return true keeps the channel open); Firefox and the
    // fake browser of the unit tests take the returned promise.
    if (typeof sendResponse === 'function') {
      void reply.then(sendResponse);
      return true;
    }
    return reply;
  };
  let listening = false;

  return {
    /**
     * Registers the one handler of a message in this context. Call it at the top level of the
     * background so the listener exists when a message wakes the service worker.
     */
    onMessage<N extends MessageName>(type: N, handler: NoInfer<MessageHandler<N>>): () => void {
      if (handlers.has(type)) throw new Error(`A handler for "${type}" is already registered`);
      handlers.set(type, handler as (data: unknown, sender: SenderContext) => unknown);
      if (!listening) {
        runtime.onMessage.addListener(listener);
        listening = true;
      }
      return () => {
        handlers.delete(type);
        if (handlers.size === 0 && listening) {
          runtime.onMessage.removeListener(listener);
          listening = false;
        }
      };
    },
  };
}

export type MessageRouter = ReturnType<typeof createMessageRouter>;
