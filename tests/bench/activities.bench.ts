// Update Activities (issue 20), over real HTTP against the emulator in this process, log in
// fake-indexeddb: 20,000 Tasks logged in one second on 5,000 synced leads, sent as Marketo
// activities in the first cycle with Task switched on, against the minimum its data needs:
// - the Tasks, one query page per 2,000;
// - the activities, one Add Custom Activities call per 300;
// - the activity type, made on first use: list the types, create, add its attributes, approve.
// The cycle's other calls (the change probe, Push Updates' feed page) are an idle cycle's, measured
// just before with the same objects and subtracted. Pull Updates Task follows sent Tasks only: with
// none sent before, it makes no call. A second load of 20,000 once Tasks were sent shows the steady
// state: both steps read from 5 minutes behind their positions (objectPull.ts: late commits), so each
// reads the previous load once more, and Pull Updates reads only Tasks logged before Update
// Activities' position (the new ones are not its); the type is kept (no call).
import 'fake-indexeddb/auto';
import { startEmulator } from '../../emulator/index';
import { unwatchedSyncLog } from '../../lib/db/unwatchedLog';
import type { ClockPort } from '../../lib/http/ports';
import { defaultSettings } from '../../lib/settings/schema';
import { createSyncEngine } from '../../lib/sync';
import { emulatorClients } from './emulatorClients';
import { atMost, type BenchRow, info } from './table';

const GROUP = 'activities';
const LEADS = 5_000;
const TASKS = 20_000;

export async function run(): Promise<BenchRow[]> {
  const emu = await startEmulator({ seed: 'large', size: LEADS, marketo: { limits: { enabled: false } } });
  const clock: ClockPort = {
    now: () => emu.core.clock.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
  const { sf, mk, salesforce, marketo } = emulatorClients(emu.info, clock);
  const settings = defaultSettings();
  const db = unwatchedSyncLog(`bench-activities-${process.pid}`);
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
      throw new Error(`activities bench: cycle ${report.cycle?.status}: ${report.cycle?.error}`);
    return { report, calls: sf.total() + mk.total(), sf: sf.snapshot(), mk: mk.snapshot() };
  };
  try {
    await cycle(); // the persons
    await cycle();
    settings.objects.Task!.enabled = true;
    await cycle(); // Task's first positions
    const idle = (await cycle()).calls;
    emu.control.advanceTime({ ms: 5 * 60_000 });
    const leads = [...emu.salesforce.store.table('Lead').records.keys()];
    emu.control.sfSeedActivities({ tasks: TASKS, whoIds: leads });
    const load = await cycle();
    const sent = load.report.steps.find(
      (s) => s.operation === 'Update Activities' && s.objectType === 'Task',
    );
    if (sent?.new !== TASKS) throw new Error(`activities bench: sent ${sent?.new} of ${TASKS}`);
    const loadCalls = load.calls - idle;
    const minimum = Math.ceil(TASKS / 2000) + Math.ceil(TASKS / 300) + 4;
    const next = (await cycle()).calls - idle;
    await cycle();
    const last = await cycle();
    emu.control.advanceTime({ ms: 5 * 60_000 });
    emu.control.sfSeedActivities({ tasks: TASKS, whoIds: leads });
    const second = await cycle();
    const again = second.calls - last.calls;
    const againMinimum = Math.ceil(TASKS / 2000) + Math.ceil(TASKS / 300);
    process.stderr.write(
      `activities bench: load ${loadCalls} calls (minimum ${minimum}) ${JSON.stringify({ ...load.sf, ...load.mk })}, next ${next}, again ${again} (minimum ${againMinimum}), idle ${last.calls} ` +
        `${JSON.stringify({ ...last.sf, ...last.mk })}\n`,
    );
    return [
      info(GROUP, 'Update Activities for 20,000 Tasks: API calls', loadCalls, 'calls'),
      atMost(
        GROUP,
        'Update Activities for 20,000 Tasks — API calls / minimum',
        loadCalls / minimum,
        '×',
        1.0,
      ),
      info(GROUP, "Next cycle: calls beyond an idle cycle's", next, 'calls'),
      atMost(GROUP, 'Idle cycle with Task switched on', last.calls, 'calls', 3),
      info(GROUP, '20,000 more Tasks once Tasks were sent — API calls / minimum', again / againMinimum, '×'),
    ];
  } finally {
    db.close();
    await db.delete();
    await emu.stop();
  }
}
