// Pull Updates' Marketo writes across a step (lib/sync/operations/personWriter.ts): upserts and
// takeovers of converted leads' persons each go 300 per call however they interleave in the stream;
// the cursor never passes a row whose write is not committed, also with the commit of one call
// running behind the next call.
import { afterEach, describe, expect, it } from 'vitest';
import { parsePullCursor, parseSalesforceDate } from '../../lib/sync/cursors';
import { createLeadsInOneSecond } from '../support/leadsInOneSecond';
import { personsPerLead } from '../support/personsPerRecord';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const LEADS_WRITE = /\/rest\/v1\/leads\.json$/;

/** A harness that counts Marketo lead writes. */
async function harness() {
  const writes = { count: 0 };
  const started = await startSyncHarness({ seed: 'empty' }, undefined, (url, init) => {
    if (init?.method === 'POST' && LEADS_WRITE.test(new URL(url).pathname)) writes.count++;
  });
  h = started;
  return { h: started, writes };
}

describe('Pull Updates write calls', () => {
  it('a stream mixing contact upserts and takeovers costs one call per 300 of each kind', async () => {
    const { h, writes } = await harness();
    const leads = createLeadsInOneSecond(h.emu.control, 10);
    h.advance();
    await h.cycle();
    const persons = () => h.emu.marketo.snapshot().leads as Record<string, unknown>[];
    const personsOf = personsPerLead(persons());
    const leadPersons = new Map(leads.map((id) => [id, personsOf.get(id)![0]!.id]));
    // 600 new contacts; every 60th comes from converting one of the synced leads, so the contact's
    // pull takes over the lead's person (updateOnly by id) between ordinary upserts.
    const account = h.emu.control.sfCreate({ object: 'Account', fields: { Name: 'Acme' } }).id;
    const converted = new Map<string, string>();
    for (let i = 0; i < 600; i++) {
      if (i % 60 === 0) {
        const leadId = leads[i / 60]!;
        converted.set(h.emu.control.convertLead({ leadId, accountId: account }).contactId, leadId);
      } else {
        h.emu.control.sfCreate({
          object: 'Contact',
          fields: { LastName: `Contact${i}`, Email: `contact${i}@example.com`, AccountId: account },
        });
      }
    }
    h.advance();
    writes.count = 0;
    const report = await h.cycle();
    const pull = stepOf(report, 'Pull Updates', 'Contact');
    expect(pull).toMatchObject({ status: 'Completed', new: 590, updated: 10, failed: 0 });
    // 590 upserts → 2 calls, 10 takeovers → 1 call (not 2 calls per 300 rows holding both kinds).
    // Nothing else in this cycle writes persons: the account had none linked yet, the converted
    // leads are skipped by the lead pull and already relinked for Pull Conversions.
    expect(writes.count).toBe(3);
    // Each converted lead's person now stands for its contact: no second person, no merge needed.
    for (const [contactId, leadId] of converted) {
      const linked = persons().filter((p) => p.sfdcContactIdCustom === contactId);
      expect(linked.map((p) => p.id)).toEqual([leadPersons.get(leadId)]);
    }
    expect(persons()).toHaveLength(600);
    expect(stepOf(report, 'Pull Conversions', 'Person')).toMatchObject({ updated: 10, failed: 0 });
  });

  it('the cursor stays at the last committed call when the next call fails, and the next cycle resumes', async () => {
    const { h } = await harness();
    // 700 leads, 100 per second of SystemModstamp, so each call's rows end at a distinct stamp.
    const leads: string[] = [];
    for (let i = 0; i < 700; i++) {
      if (i > 0 && i % 100 === 0) h.advance(1000);
      leads.push(
        h.emu.control.sfCreate({
          object: 'Lead',
          fields: { Company: 'Acme', LastName: `Lead${i}`, Email: `lead${i}@example.com` },
        }).id,
      );
    }
    h.advance();
    // Every lead write after the first fails — in the order they reach Marketo: the second goes out
    // while the first waits for its answer (personWriter.ts, two calls in flight).
    h.emu.control.injectFault({
      side: 'marketo',
      kind: 'error',
      status: 503,
      route: '/rest/v1/leads.json',
      method: 'POST',
      after: 1,
    });
    const failed = await h.cycle();
    h.emu.control.clearFaults();
    const pull = stepOf(failed, 'Pull Updates', 'Person');
    expect(pull.status).toBe('Failed');
    // The first call's 300 rows were committed (its commit ran behind the failing second call).
    expect(pull.new).toBe(300);
    const stampOf = new Map(
      h.emu.control.snapshot().salesforce.Lead!.map((l) => [l.Id, parseSalesforceDate(l.SystemModstamp)]),
    );
    const stamps = leads.map((id) => stampOf.get(id)!);
    const cursor = parsePullCursor((await h.db.cursors.get('pull:Lead'))?.value);
    expect(cursor?.at).toBe(Math.max(...stamps.slice(0, 300)));
    expect(cursor!.at).toBeLessThan(stamps[300]!);
    h.advance();
    const resumed = await h.cycle();
    expect(stepOf(resumed, 'Pull Updates', 'Person')).toMatchObject({ status: 'Completed', failed: 0 });
    const persons = h.emu.marketo.snapshot().leads as Record<string, unknown>[];
    const personsOf = personsPerLead(persons);
    for (const id of leads) expect(personsOf.get(id)).toHaveLength(1);
    expect(parsePullCursor((await h.db.cursors.get('pull:Lead'))?.value)?.at).toBe(Math.max(...stamps));
  });

  it('two lead writes in flight within a page, never three: 1,800 leads of one second once each', async () => {
    const { h, writes } = await harness();
    const leads = createLeadsInOneSecond(h.emu.control, 1800);
    // Slow answers, so that a call goes out while the one before still waits.
    h.emu.control.injectFault({
      side: 'marketo',
      kind: 'latency',
      route: '/rest/v1/leads.json',
      method: 'POST',
      latencyMs: 150,
    });
    h.advance();
    const report = await h.cycle();
    expect(stepOf(report, 'Pull Updates', 'Person')).toMatchObject({ status: 'Completed', new: 1800 });
    expect(writes.count).toBe(6);
    expect(h.peakInFlight.get('POST /rest/v1/leads.json')).toBe(2);
    const personsOf = personsPerLead(h.emu.marketo.snapshot().leads as Record<string, unknown>[]);
    for (const id of leads) expect(personsOf.get(id)).toHaveLength(1);
    const stamp = parseSalesforceDate(h.emu.control.sfGet({ id: leads.at(-1)! })!.SystemModstamp as string);
    expect(parsePullCursor((await h.db.cursors.get('pull:Lead'))?.value)?.at).toBe(stamp);
  });
});
