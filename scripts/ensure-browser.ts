// `npm run browser`: finds the Chromium that the demo and the browser tests launch, installing
// Debian's package when it is missing and this is a Debian/Ubuntu machine run as root (the
// decision: scripts/findBrowser.ts). Prints the path it settled on; exits 1 with the exact command
// to run when it cannot install. `npm run demo` and `npm test` call it first; so does CI.
import { spawnSync } from 'node:child_process';
import { decideBrowser } from './findBrowser';
import { machineFacts } from './machineFacts';

function run(command: string[]): void {
  console.log(`browser: ${command.join(' ')}`);
  // Progress goes straight to the terminal: an install takes a minute or two.
  const result = spawnSync(command[0]!, command.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0)
    throw new Error(`"${command.join(' ')}" failed (exit ${result.status ?? result.signal})`);
}

function main(): number {
  const decision = decideBrowser(machineFacts());
  if (decision.kind === 'use') {
    console.log(`browser: using ${decision.path} (from ${decision.source})`);
    return 0;
  }
  if (decision.kind === 'stop') {
    console.error(`browser: ${decision.message}`);
    return 1;
  }
  console.log("browser: no Chromium found; installing Debian's chromium package (needs a minute or two)");
  try {
    run(['apt-get', 'update', '-qq']);
    run(decision.command);
  } catch (error) {
    console.error(`browser: ${error instanceof Error ? error.message : error}`);
    return 1;
  }
  const after = decideBrowser(machineFacts());
  if (after.kind !== 'use') {
    console.error('browser: the install finished but no chromium is on PATH');
    return 1;
  }
  console.log(`browser: installed; using ${after.path}`);
  return 0;
}

process.exitCode = main();
