// One lane of the bare script's 4-org run (service.bench.ts): a process of its own — as a service
// worker is — that runs the bare first sync on each emulator given, one after the other. It prints
// `ready` once loaded, waits for a line on stdin (so that every lane starts together), then prints
// one JSON line: when it started and ended (ms since the epoch).
import { createInterface } from 'node:readline';
import type { EmulatorInfo } from '../../emulator/index';
import { systemClock } from '../../lib/http/ports';
import { bareFirstSync } from './bareFirstSync';
import { emulatorClients } from './emulatorClients';
import { leadsOnlySettings } from './leadsOnlySettings';

const emulators = JSON.parse(process.argv[2] ?? '[]') as EmulatorInfo[];
const lines = createInterface({ input: process.stdin });
console.log('ready');
await new Promise((go) => lines.once('line', go));
lines.close();
const startedAt = Date.now();
for (const info of emulators) {
  const { salesforce, marketo } = emulatorClients(info, systemClock);
  await bareFirstSync({ salesforce, marketo, settings: leadsOnlySettings() });
}
console.log(JSON.stringify({ startedAt, endedAt: Date.now() }));
