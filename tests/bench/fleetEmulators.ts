// The fleet bench's emulated orgs (service-fleet.bench.ts): `count` Salesforce + Marketo pairs,
// each a whole emulator of its own (its own data, sessions, limits and two loopback ports), all in
// this one process so that 200 of them cost one Node heap rather than 200. Started by the bench as
// a child process; prints one JSON line, the emulators' connection infos, then serves until killed.
import { type Emulator, startEmulator } from '../../emulator/index';

async function main() {
  const count = Number(process.argv[2] ?? '1');
  if (!Number.isInteger(count) || count < 1) throw new Error('usage: fleetEmulators.ts COUNT');
  const emulators: Emulator[] = [];
  for (let i = 0; i < count; i++) emulators.push(await startEmulator({ seed: 'empty' }));
  process.stdout.write(`${JSON.stringify(emulators.map((e) => e.info))}\n`);
  const stop = () => void Promise.all(emulators.map((e) => e.stop())).then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`fleet emulators: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
