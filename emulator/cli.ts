// `npm run emulator -- [--salesforce-port N] [--marketo-port N] [--seed NAME] [--size N] [--members N] [--opportunities N]
//   [--no-marketo-limits]`:
// starts the emulator and prints exactly one JSON line with its connection info.
import { parseArgs } from 'node:util';
import { startEmulator } from './index';
import { SEED_NAMES, type SeedName } from './seeds';

function port(value: string | undefined, name: string): number {
  const n = Number(value ?? '0');
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`--${name} must be a port number (0 = any free port)`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'salesforce-port': { type: 'string' },
      'marketo-port': { type: 'string' },
      seed: { type: 'string', default: 'demo' },
      size: { type: 'string' },
      'rng-seed': { type: 'string' },
      members: { type: 'string' },
      opportunities: { type: 'string' },
      // Benchmarks of our own code switch Marketo's 100 calls / 20 s rule off.
      'no-marketo-limits': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!SEED_NAMES.includes(values.seed as SeedName))
    throw new Error(`--seed must be one of ${SEED_NAMES.join(', ')}`);
  const size = values.size === undefined ? undefined : Number(values.size);
  if (size !== undefined && (!Number.isInteger(size) || size < 0))
    throw new Error('--size must be a whole number');
  const emulator = await startEmulator({
    salesforcePort: port(values['salesforce-port'], 'salesforce-port'),
    marketoPort: port(values['marketo-port'], 'marketo-port'),
    seed: values.seed as SeedName,
    size,
    rngSeed: values['rng-seed'] === undefined ? undefined : Number(values['rng-seed']),
    ...(values.members !== undefined && { members: Number(values.members) }),
    ...(values.opportunities !== undefined && { opportunities: Number(values.opportunities) }),
    ...(values['no-marketo-limits'] && { marketo: { limits: { enabled: false } } }),
  });
  process.stdout.write(`${JSON.stringify(emulator.info)}\n`);
  const shutdown = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${(error as Error).message}\n`);
  process.exit(1);
});
