// Serves the Marketo emulator on its own (127.0.0.1, a free port): for tests of this module and
// for trying it without the core server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMarketoEmulator, type MarketoEmulator, type MarketoEmulatorOptions } from './index';

export interface StandaloneMarketo {
  emulator: MarketoEmulator;
  baseUrl: string;
  server: Server;
  close(): Promise<void>;
}

export async function startStandaloneMarketo(options: MarketoEmulatorOptions): Promise<StandaloneMarketo> {
  const emulator = createMarketoEmulator(options);
  const server = createServer((req, res) => {
    void emulator.handle(req, res, new URL(req.url ?? '/', 'http://127.0.0.1'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    emulator,
    server,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
