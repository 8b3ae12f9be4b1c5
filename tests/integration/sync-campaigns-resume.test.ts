// Campaign ⇄ program steps stopped mid-step and resumed (issue 17): 1,200 members created in one
// second; a write carried out whose answer (and the client's retries) never arrive stops each step. Init Link to Program, Pull Updates
// Campaign Member and Sync to Program each resume from their last commit: at the end every member
// is on the other side exactly once, at the right status, and no member was written twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../../emulator/faults';
import type { StepRow } from '../../lib/db/types';
import { webinarPair } from '../support/programPairs';
import { type SyncHarness, startSyncHarness } from './sync-harness';

const N = 1200;
let h: SyncHarness;
let campaign: string;
const leads: string[] = [];

/**
 * Stops a step in the middle of a write: the `at`-th request matching `route` is carried out, then
 * its connection drops, and so do the client's retries — the write happened, its commit never does.
 */
let arm: { route: RegExp; method: string; at: number; seen: number; fault: FaultSpec } | undefined;
function stopAt(side: FaultSpec['side'], route: RegExp, method: string, at: number, faultRoute: string) {
  arm = {
    route,
    method,
    at,
    seen: 0,
    fault: { side, kind: 'dropAfter', route: faultRoute, method, times: 3 },
  };
}

beforeAll(async () => {
  h = await startSyncHarness(
    { seed: 'empty' },
    (settings) => {
      settings.objects.Campaign!.enabled = true;
      settings.objects.CampaignMember!.enabled = true;
    },
    (url, init) => {
      if (!arm || (init?.method ?? 'GET') !== arm.method || !arm.route.test(url)) return;
      arm.seen++;
      if (arm.seen === arm.at) h.emu.control.injectFault(arm.fault);
    },
  );
  for (let i = 0; i < N; i++)
    leads.push(
      h.emu.control.sfCreate({
        object: 'Lead',
        fields: { LastName: `L${i}`, Company: 'Acme', Email: `l${i}@example.com` },
      }).id,
    );
  campaign = h.emu.control.sfCreate({ object: 'Campaign', fields: { Name: 'Big Webinar' } }).id;
  for (const id of leads)
    h.emu.control.sfCreate({ object: 'CampaignMember', fields: { CampaignId: campaign, LeadId: id } });
  const first = await h.cycle();
  expect(first.cycle?.status).toBe('Completed');
}, 120_000);
afterAll(async () => h.stop());

const program = () => h.emu.control.mkProgramMembers({ programId: 1000 });
const personIds = () =>
  new Map(
    (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).map((p) => [
      String(p.sfdcLeadIdCustom),
      p.id as number,
    ]),
  );
/** "Change Status in Progression" activities of program 1000 to `status`: one per membership write. */
const writesTo = (status: string) =>
  (
    h.emu.marketo.snapshot().activities as {
      activityTypeId?: number;
      typeId?: number;
      primaryAttributeValueId?: number;
      attributes: { name: string; value: unknown }[];
    }[]
  ).filter(
    (a) =>
      (a.typeId ?? a.activityTypeId) === 104 &&
      a.attributes.some((x) => x.name === 'New Status' && x.value === status),
  ).length;

/** One cycle stopped by the armed fault, then cycles until one completes; every step row they wrote. */
async function stoppedThenResumed(): Promise<StepRow[]> {
  const steps: StepRow[] = [];
  h.advance(61_000);
  const stopped = await h.cycle();
  steps.push(...stopped.steps);
  expect(stopped.cycle?.status).toBe('Failed');
  arm = undefined;
  for (let i = 0; i < 5; i++) {
    h.advance(61_000);
    const report = await h.cycle();
    steps.push(...report.steps);
    if (report.cycle?.status === 'Completed') return steps;
  }
  throw new Error('never completed');
}

const sum = (steps: StepRow[], operation: string, field: keyof StepRow) =>
  steps.filter((s) => s.operation === operation).reduce((n, s) => n + Number(s[field]), 0);

describe('stopped and resumed', () => {
  it('Init Link to Program loads 1,200 members once, across stopped cycles', async () => {
    h.settings.programPairs = [
      webinarPair({ id: campaign, name: 'Big Webinar' }, { id: 1000, name: 'Spring Webinar 2026' }),
    ];
    stopAt('marketo', /members\/status\.json/, 'POST', 3, '/rest/v1/programs/1000/members/status.json');
    const steps = await stoppedThenResumed();
    const members = program();
    expect(Object.keys(members)).toHaveLength(N);
    expect(new Set(Object.values(members))).toEqual(new Set(['Invited']));
    // Each membership written once; after the stop, the members written before it (the 300 of
    // the dropped call included) agree and are Skipped, never written again.
    expect(writesTo('Invited')).toBe(N);
    expect(sum(steps, 'Init Link to Program', 'failed')).toBe(0);
    expect(
      sum(steps, 'Init Link to Program', 'updated') + sum(steps, 'Init Link to Program', 'skipped'),
    ).toBe(N + 600 + 1);
  }, 120_000);

  it('Pull Updates Campaign Member writes 1,200 status changes of one second once each', async () => {
    const rows = (h.emu.control.snapshot().salesforce.CampaignMember ?? []).filter(
      (m) => m.CampaignId === campaign && !m.IsDeleted,
    );
    for (const row of rows) h.emu.control.sfUpdate({ id: String(row.Id), fields: { Status: 'Responded' } });
    stopAt('marketo', /members\/status\.json/, 'POST', 2, '/rest/v1/programs/1000/members/status.json');
    const steps = await stoppedThenResumed();
    expect(new Set(Object.values(program()))).toEqual(new Set(['Attended']));
    expect(writesTo('Attended')).toBe(N);
    // Resumed from the position after the first batch: the dropped batch is read again and found
    // already written (Skipped), the rest written; none twice.
    const members = steps.filter((s) => s.objectType === 'Campaign Member' && s.operation === 'Pull Updates');
    expect(sum(members, 'Pull Updates', 'updated')).toBe(N - 300);
    expect(sum(members, 'Pull Updates', 'skipped')).toBe(300);
  }, 120_000);

  it('Sync to Program writes 600 Marketo status changes to Salesforce once each', async () => {
    const ids = personIds();
    for (const id of leads.slice(0, 600))
      h.emu.control.mkSetMemberStatus({
        programId: 1000,
        leadId: ids.get(id)!,
        status: 'Attended On-demand',
      });
    stopAt('salesforce', /composite\/sobjects/, 'PATCH', 2, '/services/data/*/composite/sobjects');
    const steps = await stoppedThenResumed();
    const rows = (h.emu.control.snapshot().salesforce.CampaignMember ?? []).filter(
      (m) => m.CampaignId === campaign && !m.IsDeleted,
    );
    expect(rows.filter((r) => r.Status === 'Attended On-demand')).toHaveLength(600);
    expect(rows.filter((r) => r.Status === 'Responded')).toHaveLength(N - 600);
    // The first page's 300 were written before the stop (its second call's answer was lost), so
    // they were never logged as written: the resumed cycle's pull sees Salesforce changed, finds
    // Marketo already there and records the agreement (Skipped); the feed's page read again then
    // agrees too. Only the second page is written after the stop. Nothing is written twice.
    expect(sum(steps, 'Sync to Program', 'updated')).toBe(300);
    const pulls = steps.filter((s) => s.operation === 'Pull Updates' && s.objectType === 'Campaign Member');
    expect(sum(pulls, 'Pull Updates', 'skipped')).toBe(300);
    expect(sum(pulls, 'Pull Updates', 'updated')).toBe(0);
    expect(sum(steps, 'Sync to Program', 'failed')).toBe(0);
  }, 120_000);
});
