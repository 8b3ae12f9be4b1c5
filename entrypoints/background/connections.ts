import { registerConnectionHandlers } from '../../lib/connections/handlers';
import type { MessageRouter } from '../../lib/messaging/router';
import { registerServiceConnectionHandlers } from '../../lib/serviceMode/connection';
import type { WorkerClients } from './clients';

/** The options page's connection messages: session detect, OAuth, Marketo, Test connections, Sync runs in. */
export function setupConnections(router: MessageRouter, { connectionPorts }: WorkerClients): void {
  registerConnectionHandlers(router, connectionPorts);
  registerServiceConnectionHandlers(router, { ...connectionPorts, now: () => connectionPorts.clock.now() });
}
