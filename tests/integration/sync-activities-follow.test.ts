// Push Updates of Task (issue 20, docs/activities.md): Tasks the sync made from Marketo activities
// (Push New) follow their person — to the winner's lead or contact when Marketo persons merge
// (Updated), to the contact when the lead converts (Salesforce moved it already: Skipped, saying
// so; an org that leaves it on the lead: Updated); Tasks an admin made are left alone; idle cycles
// spend no call on it; a refused update is retried.
import { afterEach, describe, expect, it } from 'vitest';
import { loadStates } from '../../lib/db/syncState';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
afterEach(async () => h?.stop());

async function start(options: Parameters<typeof startSyncHarness>[0] = {}) {
  h = await startSyncHarness({ seed: 'empty', ...options }, (s) => {
    s.objects.Task!.enabled = true;
  });
}

const create = (object: string, fields: Record<string, unknown>) =>
  h.emu.control.sfCreate({ object, fields }).id;
const personOf = async (sfId: string) => (await loadStates(h.db, [sfId])).get(sfId)!.marketoId!;
const whoOf = (taskId: string) => h.emu.control.sfGet({ id: taskId })!.WhoId;

/** Two synced leads, each with a Task Push New made from a form fill, and a Task an admin made. */
async function world() {
  const one = create('Lead', { LastName: 'One', Company: 'Acme', Email: 'one@acme.example' });
  const two = create('Lead', { LastName: 'Two', Company: 'Acme', Email: 'two@acme.example' });
  const mine = create('Task', { Subject: 'Call back', WhoId: one, Type: 'Other' });
  await h.cycle();
  for (const [n, lead] of [one, two].entries())
    h.emu.marketo.store.activities.append({
      leadId: await personOf(lead),
      date: h.clock.now(),
      typeId: 2,
      primaryAttributeValueId: 1000 + n,
      primaryAttributeValue: `Form ${n}`,
      attributes: [],
    });
  h.advance();
  const made = await h.cycle();
  expect(stepOf(made, 'Push New', 'Task').new).toBe(2);
  const tasks = h.emu.control.snapshot().salesforce.Task!.filter((t) => String(t.Subject).includes('[mkto'));
  const taskOf = (lead: string) => String(tasks.find((t) => t.WhoId === lead)!.Id);
  return { one, two, mine, taskOne: taskOf(one), taskTwo: taskOf(two) };
}

describe('Push Updates Task', () => {
  it('moves the Tasks of a merged-away person to the winner, and no others', async () => {
    await start();
    const w = await world();
    h.advance();
    h.emu.control.mkMergeLeads({ winner: await personOf(w.two), losers: [await personOf(w.one)] });
    h.advance();
    const report = await h.cycle();
    expect(stepOf(report, 'Push Updates', 'Task')).toMatchObject({
      status: 'Completed',
      updated: 1,
      failed: 0,
    });
    expect(whoOf(w.taskOne)).toBe(w.two);
    expect(whoOf(w.taskTwo)).toBe(w.two);
    expect(whoOf(w.mine)).toBe(w.one);
    // Nothing more to do: an idle cycle moves nothing and spends no call on it.
    h.advance();
    await h.cycle({ trigger: 'schedule' }); // the merge's echoes settle
    h.advance();
    const idle = await h.cycle({ trigger: 'schedule' });
    expect(stepOf(idle, 'Push Updates', 'Task')).toMatchObject({ updated: 0, skipped: 0 });
    const calls = (idle.cycle?.apiCalls.salesforce ?? 0) + (idle.cycle?.apiCalls.marketo ?? 0);
    expect(calls).toBeLessThanOrEqual(3);
  });

  it("says Salesforce moved a converted lead's Task itself", async () => {
    await start();
    const w = await world();
    h.settings.objects.Contact!.enabled = true;
    h.advance();
    const { contactId } = h.emu.control.convertLead({ leadId: w.one });
    h.advance();
    const report = await h.cycle();
    expect(stepOf(report, 'Pull Conversions', 'Person').updated).toBe(1);
    expect(stepOf(report, 'Push Updates', 'Task')).toMatchObject({ updated: 0, skipped: 1 });
    expect(whoOf(w.taskOne)).toBe(contactId);
  });

  it('moves a Task Salesforce left on the converted lead to its contact', async () => {
    await start({ salesforce: { conversionMovesActivities: false } });
    const w = await world();
    h.advance();
    const { contactId } = h.emu.control.convertLead({ leadId: w.one });
    h.advance();
    const report = await h.cycle();
    expect(stepOf(report, 'Push Updates', 'Task')).toMatchObject({ updated: 1, failed: 0 });
    expect(whoOf(w.taskOne)).toBe(contactId);
    expect(whoOf(w.mine)).toBe(w.one); // an admin's Task is not the sync's to move
  });

  it('retries a refused move with back-off until it lands', async () => {
    await start({ salesforce: { conversionMovesActivities: false } });
    const w = await world();
    h.advance();
    const { contactId } = h.emu.control.convertLead({ leadId: w.one });
    h.emu.control.injectFault({
      side: 'salesforce',
      kind: 'error',
      route: '/services/data/*/composite/sobjects',
      method: 'PATCH',
      status: 400,
      errorCode: 'UNABLE_TO_LOCK_ROW',
      times: 1,
    });
    h.advance();
    const refused = await h.cycle();
    expect(stepOf(refused, 'Push Updates', 'Task').status).not.toBe('Completed');
    h.advance(10 * 60_000);
    await h.cycle();
    h.advance(10 * 60_000);
    await h.cycle();
    expect(whoOf(w.taskOne)).toBe(contactId);
  });
});
