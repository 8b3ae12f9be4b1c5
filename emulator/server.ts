// The two loopback HTTP servers. The wrapper around both APIs counts calls per endpoint, applies
// injected faults and latency, serves the control API under /__control/ on the Salesforce port,
// and turns anything unexpected into a Salesforce-shaped 500 or a Marketo-shaped 611.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CONTROL_METHODS, ControlError, type EmulatorControl } from './control';
import type { EmulatorCore } from './core';
import { faultReply, type Side } from './faults';
import { delay, readBody, writeReply } from './http';
import { unknownException } from './salesforce/errors';
import { handleSalesforce } from './salesforce/router';

export const CONTROL_PREFIX = '/__control';

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

async function listen(
  port: number,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<RunningServer> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function sendFailure(side: Side, res: ServerResponse, now: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (side === 'salesforce') writeReply(res, unknownException());
  else
    writeReply(res, {
      status: 200,
      body: {
        requestId: `0#${now.toString(16)}`,
        success: false,
        errors: [{ code: '611', message: 'System error' }],
      },
    });
}

async function handleControl(
  control: EmulatorControl,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const name = url.pathname.slice(CONTROL_PREFIX.length + 1);
  if (name === '' && req.method === 'GET') {
    writeReply(res, { status: 200, body: { methods: CONTROL_METHODS } });
    return;
  }
  if (!(CONTROL_METHODS as string[]).includes(name)) {
    writeReply(res, { status: 404, body: { error: `Unknown control method '${name}'` } });
    return;
  }
  try {
    const text = await readBody(req);
    const arg = text.trim() === '' ? undefined : JSON.parse(text);
    const fn = control[name as keyof EmulatorControl] as unknown as (a: unknown) => unknown;
    const result = await fn.call(control, arg ?? undefined);
    writeReply(res, { status: 200, body: { result: result ?? null } });
  } catch (error) {
    const status = error instanceof ControlError || error instanceof SyntaxError ? 400 : 500;
    writeReply(res, {
      status,
      body: { error: (error as Error).message, code: (error as ControlError).code },
    });
  }
}

/**
 * A response whose reply never leaves: the handler runs (and writes to its stores) as usual, then
 * the connection closes where the reply would have been sent.
 */
function replyLost(req: IncomingMessage, res: ServerResponse): ServerResponse {
  return new Proxy(res, {
    get(target, key, receiver) {
      if (key === 'writeHead' || key === 'setHeader' || key === 'write') return () => receiver;
      if (key === 'end')
        return () => {
          req.socket.destroy();
          return receiver;
        };
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function requestHandler(core: EmulatorCore, control: EmulatorControl, side: Side) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    try {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      if (side === 'salesforce' && url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
        await handleControl(control, req, res, url);
        return;
      }
      core.counters.count(side, method, url.pathname);
      const decision = core.faults.decide(side, method, url.pathname);
      if (decision.latencyMs > 0) await delay(decision.latencyMs);
      const fault = decision.terminal;
      if (fault?.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'hang') {
        // No reply ever: the socket stays open until the client gives up (or the server stops).
        req.resume();
        return;
      }
      const dropAfter = fault?.kind === 'dropAfter';
      if (fault && !dropAfter) {
        req.resume();
        writeReply(res, faultReply(fault, core.clock.now()));
        return;
      }
      if (side === 'marketo') {
        await core.marketo.handle(req, dropAfter ? replyLost(req, res) : res, url);
        return;
      }
      const rawBody = await readBody(req);
      const reply = handleSalesforce(core.org, { method, url, headers: req.headers, rawBody });
      if (dropAfter) req.socket.destroy();
      else writeReply(res, reply);
    } catch {
      sendFailure(side, res, core.clock.now());
    }
  };
}

export async function startServers(core: EmulatorCore, control: EmulatorControl) {
  const salesforce = await listen(core.options.salesforcePort ?? 0, (req, res) => {
    void requestHandler(core, control, 'salesforce')(req, res);
  });
  let marketo: RunningServer;
  try {
    marketo = await listen(core.options.marketoPort ?? 0, (req, res) => {
      void requestHandler(core, control, 'marketo')(req, res);
    });
  } catch (error) {
    await salesforce.close();
    throw error;
  }
  return { salesforce, marketo };
}
