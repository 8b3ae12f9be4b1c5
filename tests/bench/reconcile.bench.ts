// Reconcile's API calls (design §10) for the demo org against the minimum its data needs: reading
// every linked lead and contact on both sides costs at least one Salesforce query page per 2,000
// linked rows of each object and one Marketo read per 300 linked persons. Measured as an idle
// check (after the first sync, a check, and the cycle that repairs what it found), over real HTTP
// against the emulator in this process, log in fake-indexeddb. The check's calls are what the
// clients' call counters moved by between its start and end, as its log line reports them (steps
// run one at a time, so no other step's call is among them); a cycle-minus-idle-cycle difference
// would also count the retries and echo pulls that happen to fall in one cycle and not the other.
import 'fake-indexeddb/auto';
import { startEmulator } from '../../emulator/index';
import { unwatchedSyncLog } from '../../lib/db/unwatchedLog';
import type { ClockPort } from '../../lib/http/ports';
import { defaultSettings } from '../../lib/settings/schema';
import { type CycleRequest, createSyncEngine } from '../../lib/sync';
import { emulatorClients } from './emulatorClients';
import { atMost, type BenchRow, info } from './table';

const GROUP = 'reconcile';

export async function run(): Promise<BenchRow[]> {
  const emu = await startEmulator({ seed: 'demo', marketo: { limits: { enabled: false } } });
  const clock: ClockPort = {
    now: () => emu.core.clock.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
  const { sf, mk, salesforce, marketo } = emulatorClients(emu.info, clock);
  const settings = defaultSettings();
  const db = unwatchedSyncLog(`bench-reconcile-${process.pid}`);
  const logs: string[] = [];
  const engine = createSyncEngine({
    db,
    salesforce,
    marketo,
    settings: async () => settings,
    clock,
    owner: 'bench',
    log: (line) => logs.push(line),
  });
  const cycle = async (request: Partial<CycleRequest> = {}) => {
    emu.control.advanceTime({ ms: 5 * 60_000 });
    sf.reset();
    mk.reset();
    const report = await engine.runCycle({ trigger: 'schedule', ...request });
    if (report.cycle?.status !== 'Completed')
      throw new Error(`reconcile bench: cycle ${report.cycle?.status}: ${report.cycle?.error}`);
    return { report, salesforce: sf.total(), marketo: mk.total() };
  };
  try {
    await cycle(); // first sync
    const first = await cycle({ trigger: 'manual', reconcile: true });
    const firstDrift = first.report.steps.find((s) => s.operation === 'Reconcile')?.drifted ?? 0;
    await cycle(); // repairs what the first check found
    const checked = await cycle({ trigger: 'manual', reconcile: true });
    const line = logs.filter((l) => l.startsWith('Reconcile ')).at(-1) ?? '';
    const calls = /API calls: Salesforce (\d+), Marketo (\d+)/.exec(line);
    if (!calls) throw new Error(`reconcile bench: no call count in the log: ${line}`);
    const [salesforceCalls, marketoCalls] = [Number(calls[1]), Number(calls[2])];
    const step = checked.report.steps.find((s) => s.operation === 'Reconcile')!;

    // The minimum, from the data alone: rows of each object that Marketo has a person for.
    const snap = emu.control.snapshot();
    const persons = snap.marketo.leads as Record<string, unknown>[];
    const linkedIds = new Set(
      persons.flatMap((p) => [p.sfdcLeadIdCustom, p.sfdcContactIdCustom].filter(Boolean)),
    );
    const linked = (object: string) =>
      (snap.salesforce[object] ?? []).filter(
        (r) => !r.IsDeleted && !r.IsConverted && !r.Do_Not_Sync_to_Marketo__c && linkedIds.has(r.Id),
      ).length;
    const leads = linked('Lead');
    const contacts = linked('Contact');
    const minimum =
      Math.ceil(leads / 2000) + Math.ceil(contacts / 2000) + Math.ceil((leads + contacts) / 300);
    const spent = salesforceCalls + marketoCalls;
    // The counters' own view of the whole cycle: the check cannot have spent more than that.
    if (spent > checked.salesforce + checked.marketo) throw new Error('reconcile bench: calls do not add up');
    process.stderr.write(
      `reconcile bench: ${leads} leads + ${contacts} contacts linked; check: Salesforce ${salesforceCalls}, Marketo ${marketoCalls} calls; first check drifted ${firstDrift}\n`,
    );
    return [
      info(GROUP, 'Reconcile (demo org): records compared', step.skipped + step.drifted, 'records'),
      info(
        GROUP,
        'Reconcile (demo org): drifted after the first sync (repaired by the next cycle)',
        firstDrift,
        'records',
      ),
      info(GROUP, 'Reconcile (demo org): drifted in a later check', step.drifted, 'records'),
      info(GROUP, 'Reconcile (demo org) API calls', spent, 'calls'),
      atMost(GROUP, 'Reconcile API calls / minimum its data needs', spent / minimum, '×', 1.0),
    ];
  } finally {
    db.close();
    await db.delete();
    await emu.stop();
  }
}
