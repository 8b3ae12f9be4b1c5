// The dashboard's actions against the emulator over real HTTP (docs/dashboard-errors.md): a value
// rule accepted from a suggestion makes the next push of a refused State succeed (and nothing
// ping-pongs after it); retries pause past the allocation threshold, "Retry these now" still
// retries; Replay as the sync user re-sends the failed write alone and logs its outcome.
import { afterEach, describe, expect, it } from 'vitest';
import { causeSuggestions } from '../../lib/dashboard/causeSuggestions';
import { errorCauses } from '../../lib/dashboard/errorCauses';
import { retryCause } from '../../lib/dashboard/retryCause';
import { rowOutcomes } from '../../lib/db/eventRowBody';
import { marketoQuotaDay } from '../../lib/marketo/rateLimiter';
import { dailyUsageCursor, readDailyUsage } from '../../lib/sync/dailyUsage';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
afterEach(async () => h?.stop());

const STATE_CAUSE = 'Lead|FIELD_CUSTOM_VALIDATION_EXCEPTION|State';
const personOf = (sfId: string) =>
  (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).find((p) => p.sfdcLeadIdCustom === sfId)!;
const lead = (name: string) =>
  h.emu.control.sfCreate({ object: 'Lead', fields: { Company: 'Acme', LastName: name, State: 'Oregon' } }).id;

/** A linked lead whose person a marketer gave the two-letter state "CA": its push is refused. */
async function failingState(name: string): Promise<string> {
  const id = lead(name);
  await h.cycle();
  h.emu.control.mkUpdateLead({ id: personOf(id).id as number, fields: { state: 'CA', title: 'CTO' } });
  h.advance();
  const failed = await h.cycle();
  expect(stepOf(failed, 'Push Updates', 'Person').failed).toBe(1);
  expect(await h.db.records.get(id)).toMatchObject({
    state: 'failed',
    lastError: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', fields: ['State'] },
  });
  return id;
}

describe('a value rule from a suggestion', () => {
  it('makes the next push succeed, writes the standard value, and the sync stays quiet after it', async () => {
    h = await startSyncHarness();
    const id = await failingState('Rule');
    const cause = (await errorCauses(h.db)).find((c) => c.key === STATE_CAUSE)!;
    const [suggestion] = await causeSuggestions(h.db, cause, h.settings.valueRules);
    expect(suggestion).toMatchObject({
      object: 'Lead',
      field: 'State',
      from: 'CA',
      to: 'California',
      records: 1,
    });

    // Without the rule the retry is refused again (the test would fail here without value rules).
    h.settings.valueRules = [{ object: 'Lead', field: 'State', from: 'CA', to: 'California' }];
    h.advance(10 * 60_000); // past the backoff (1 minute here)
    const fixed = await h.cycle();
    expect(stepOf(fixed, 'Push Updates', 'Person')).toMatchObject({ updated: 1, failed: 0 });
    expect(h.emu.control.sfGet({ id })).toMatchObject({ State: 'California', Title: 'CTO' });
    expect((await h.db.records.get(id))?.state).not.toBe('failed');
    const rows = await h.db.recordEvents.where('sfIds').anyOf(id, `${id}~`).toArray();
    const written = rows.flatMap((r) => rowOutcomes(r)).find((o) => o.sfId === id && o.outcome === 'updated');
    expect(written?.valueRules).toEqual([{ field: 'State', from: 'CA', to: 'California' }]);
    // Marketo keeps what the marketer typed; the echo of "California" is not pulled back over it,
    // and "CA" is not pushed again.
    expect(personOf(id).state).toBe('CA');
    h.advance();
    const quiet = await h.cycle({ reconcile: true });
    expect(stepOf(quiet, 'Push Updates', 'Person').updated).toBe(0);
    expect(stepOf(quiet, 'Pull Updates', 'Person').updated).toBe(0);
    expect(stepOf(quiet, 'Reconcile', 'Person').drifted).toBe(0);
    expect(personOf(id).state).toBe('CA');
  });
});

describe('retries past the allocation threshold', () => {
  it('are held back with the reason on the step; "Retry these now" still retries; below it they run', async () => {
    h = await startSyncHarness(undefined, (s) => {
      s.apiBudget.marketoDailyCalls = 1000;
    });
    const id = await failingState('Pause');
    const attempts = async () => (await h.db.records.get(id))?.pending?.['Push Updates']?.attempts;
    expect(await attempts()).toBe(1);
    // 76 % of today's Marketo allocation already spent (the usage row the engine counts in), on
    // the quota day the next cycle runs in: written after the clock moves, or a run ten minutes
    // before Marketo's midnight (US Central) counts the calls on a day that has ended.
    h.advance(10 * 60_000);
    const usage = await readDailyUsage(h.db);
    const row = dailyUsageCursor({ ...usage, marketoDay: marketoQuotaDay(h.clock.now()), marketoCalls: 760 });
    await h.db.cursors.put({ ...row, updatedAt: h.clock.now() });
    const paused = await h.cycle();
    const push = stepOf(paused, 'Push Updates', 'Person');
    expect(push).toMatchObject({ status: 'Completed', failed: 0, updated: 0 });
    expect(push.warnings?.join(' ')).toMatch(
      /Retries of 1 failed records held back: 7\d % of today's Marketo API allocation is used .* pause at 75 %/,
    );
    expect(await attempts()).toBe(1);

    // The admin asks for these records: they run despite the pause.
    const queued: unknown[] = [];
    const answer = await retryCause(h.db, STATE_CAUSE, h.clock.now(), async (retryNow) => {
      queued.push(retryNow);
      await h.cycle({ retryNow });
      return { status: 'started' };
    });
    expect(answer).toEqual({ records: 1, cycle: { status: 'started' } });
    expect(queued).toEqual([{ 'Push Updates': [id] }]);
    expect(await attempts()).toBe(2);

    // Back under the threshold (a new Central day): due retries run on their own again.
    h.settings.retry.maxAttempts = 5;
    h.advance(24 * 3_600_000);
    const next = await h.cycle();
    expect(stepOf(next, 'Push Updates', 'Person').failed).toBe(1);
    expect(stepOf(next, 'Push Updates', 'Person').warnings).toBeUndefined();
    expect(await attempts()).toBe(3);
  });
});

describe('Replay as the sync user', () => {
  it('re-sends the failed write alone, shows the raw exchange, and the result updates the record', async () => {
    h = await startSyncHarness();
    const id = await failingState('Replay');
    const calls = h.sfCounter.total('salesforce');
    const refused = await h.cycle({ trigger: 'record', record: { objectType: 'Lead', id }, replay: true });
    expect(refused.steps.map((s) => s.operation)).toEqual(['Push Updates']);
    // One Salesforce call: the update itself (no describe, no query).
    expect(h.sfCounter.total('salesforce') - calls).toBe(1);
    const sent = refused.replay;
    if (sent?.kind !== 'sent') throw new Error(`not sent: ${JSON.stringify(sent)}`);
    expect(sent).toMatchObject({ outcome: 'failed', fields: ['Title', 'State'] });
    expect(sent.exchange.request).toMatchObject({ method: 'PATCH' });
    expect(sent.exchange.request.url).toMatch(/\/services\/data\/v[\d.]+\/composite\/sobjects$/);
    expect(sent.exchange.request.headers).not.toHaveProperty('Authorization');
    expect(JSON.parse(sent.exchange.request.body!)).toEqual({
      allOrNone: false,
      records: [{ attributes: { type: 'Lead' }, Id: id, Title: 'CTO', State: 'CA' }],
    });
    expect(sent.exchange.response.status).toBe(200);
    expect(JSON.parse(sent.exchange.response.body)).toEqual([
      {
        success: false,
        errors: [
          {
            statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            message: 'Use the full state name (for example California), not a two-letter code.',
            fields: ['State'],
          },
        ],
      },
    ]);
    expect(await h.db.records.get(id)).toMatchObject({
      state: 'failed',
      pending: { 'Push Updates': { attempts: 2 } },
    });

    // The admin deactivates the rule; the replay now goes through and the record is synced.
    h.emu.control.setValidationRule({ object: 'Lead', rule: 'Full_State_Name_State', active: false });
    const ok = await h.cycle({ trigger: 'record', record: { objectType: 'Lead', id }, replay: true });
    expect(ok.replay).toMatchObject({ kind: 'sent', outcome: 'updated' });
    expect(h.emu.control.sfGet({ id })).toMatchObject({ State: 'CA', Title: 'CTO' });
    expect((await h.db.records.get(id))?.state).not.toBe('failed');

    // A write refused as a whole (a field the sync user cannot see): the step fails as any push
    // would, and the panel still gets the exchange.
    h.emu.control.mkUpdateLead({ id: personOf(id).id as number, fields: { title: 'CFO' } });
    h.emu.control.setFieldSecurity({ profile: 'admin', object: 'Lead', field: 'Title', access: 'readOnly' });
    h.advance();
    await h.cycle();
    h.emu.control.setFieldSecurity({ profile: 'admin', object: 'Lead', field: 'Title', access: 'hidden' });
    const hidden = await h.cycle({ trigger: 'record', record: { objectType: 'Lead', id }, replay: true });
    expect(hidden.steps[0]).toMatchObject({ operation: 'Push Updates', status: 'Failed' });
    expect(hidden.replay).toMatchObject({
      kind: 'sent',
      outcome: 'failed',
      error: { code: 'INVALID_FIELD' },
    });
    if (hidden.replay?.kind === 'sent') expect(hidden.replay.exchange.response.status).toBe(400);
    h.emu.control.setFieldSecurity({ profile: 'admin', object: 'Lead', field: 'Title', access: 'edit' });
    h.advance(10 * 60_000);
    await h.cycle();

    // Nothing left to replay: said, and nothing sent.
    const before = h.sfCounter.total('salesforce');
    const nothing = await h.cycle({ trigger: 'record', record: { objectType: 'Lead', id }, replay: true });
    expect(nothing.replay).toEqual({
      kind: 'not-sent',
      reason: 'This record has no failed Marketo → Salesforce update to replay.',
    });
    expect(h.sfCounter.total('salesforce')).toBe(before);
  });
});
