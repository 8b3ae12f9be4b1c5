import { registerConnectionHandlers } from '../../lib/connections/handlers';
import type { MessageRouter } from '../../lib/messaging/router';
import type { WorkerClients } from './clients';

/** The options page's connection messages: session detect, OAuth, Marketo, Test connections. */
export function setupConnections(router: MessageRouter, { connectionPorts }: WorkerClients): void {
  registerConnectionHandlers(router, connectionPorts);
}
