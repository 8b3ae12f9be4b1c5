// Campaign ⇄ program (issue 17), over real HTTP against the emulator in this process, log in
// fake-indexeddb: the first sync of a pair with 10,000 members against the minimum its data needs,
// and an idle cycle with campaigns enabled.
// - The minimum for loading a pair whose members are all in Salesforce: the campaign's members
//   (one query page per 2,000), the program's members (one Get Leads by Program page per 300, at
//   least one), and one status write per 300 members.
// - After the load, Marketo's feed holds one "Change Status in Progression" per member written:
//   Sync to Program pages through them once (300 per page) and recognises them as its own. That
//   read is shown on its own row: it is the price of reading Marketo's changes from one feed.
import 'fake-indexeddb/auto';
import { startEmulator } from '../../emulator/index';
import { unwatchedSyncLog } from '../../lib/db/unwatchedLog';
import type { ClockPort } from '../../lib/http/ports';
import { defaultSettings } from '../../lib/settings/schema';
import { createSyncEngine } from '../../lib/sync';
import { webinarPair } from '../support/programPairs';
import { emulatorClients } from './emulatorClients';
import { atMost, type BenchRow, info } from './table';

const GROUP = 'campaigns';
const MEMBERS = 10_000;

export async function run(): Promise<BenchRow[]> {
  // The `large` org with its first N leads in one campaign (emulator/seeds/large.ts).
  const emu = await startEmulator({
    seed: 'large',
    size: MEMBERS,
    members: MEMBERS,
    marketo: { limits: { enabled: false } },
  });
  const clock: ClockPort = {
    now: () => emu.core.clock.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
  const { sf, mk, salesforce, marketo } = emulatorClients(emu.info, clock);
  const settings = defaultSettings();
  settings.objects.Campaign!.enabled = true;
  settings.objects.CampaignMember!.enabled = true;
  const db = unwatchedSyncLog(`bench-campaigns-${process.pid}`);
  const engine = createSyncEngine({
    db,
    salesforce,
    marketo,
    settings: async () => settings,
    clock,
    owner: 'bench',
  });
  const cycle = async () => {
    emu.control.advanceTime({ ms: 5 * 60_000 });
    sf.reset();
    mk.reset();
    const report = await engine.runCycle({ trigger: 'schedule' });
    if (report.cycle?.status !== 'Completed')
      throw new Error(`campaigns bench: cycle ${report.cycle?.status}: ${report.cycle?.error}`);
    // Sync Schema's describes (the first cycle with a pair describes the three campaign objects
    // once) are not per member: counted apart.
    const describes = sf.snapshot()['salesforce describe'] ?? 0;
    return { report, calls: sf.total() + mk.total() - describes, describes };
  };
  try {
    const campaign = String(
      emu.control.snapshot().salesforce.Campaign?.find((c) => c.Name === 'Large Campaign')?.Id,
    );
    await cycle(); // the persons (no pair yet)
    await cycle();
    const idleBefore = (await cycle()).calls;
    settings.programPairs = [
      webinarPair({ id: campaign, name: 'Large Campaign' }, { id: 1000, name: 'Spring Webinar 2026' }),
    ];
    const load = await cycle();
    const loaded = load.report.steps.find((s) => s.operation === 'Init Link to Program');
    if (loaded?.updated !== MEMBERS + 1) throw new Error(`campaigns bench: loaded ${loaded?.updated}`);
    const echo = await cycle();
    await cycle();
    const last = await cycle();
    const idle = last.calls + last.describes;
    const minimum = Math.ceil(MEMBERS / 2000) + 1 + Math.ceil(MEMBERS / 300);
    const loadCalls = load.calls - idleBefore;
    const echoCalls = echo.calls - idle;
    process.stderr.write(
      `campaigns bench: load ${loadCalls} calls (minimum ${minimum}; describes apart: ${load.describes}), feed read-back ${echoCalls}, idle ${idle}\n`,
    );
    return [
      info(GROUP, 'First sync of a pair (10,000 members): API calls', loadCalls, 'calls'),
      atMost(GROUP, 'First sync of a pair / minimum its data needs', loadCalls / minimum, '×', 1.0),
      info(
        GROUP,
        "Next cycle: reading the load's 10,000 changes back from Marketo's feed",
        echoCalls,
        'calls',
      ),
      atMost(GROUP, 'Idle cycle with campaigns enabled', idle, 'calls', 3),
    ];
  } finally {
    db.close();
    await db.delete();
    await emu.stop();
  }
}
