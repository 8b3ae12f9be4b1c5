// Property (issue 17): after any sequence of member edits on both sides — members added, moved
// forwards and back, removed, on either side, in any order — and cycles stopped in the middle of a
// write, once clean cycles have run, the campaign and the program agree: the same persons are
// members on both sides, each at the status its campaign status maps to. The one allowed
// difference is the documented one: Marketo already has a LATER status than Salesforce asks for
// (its API only moves statuses forward, api-facts B7 1037), which the pull logs as Skipped.
//   PROPERTY_RUNS=50 PROPERTY_SEED=7 npx vitest run tests/integration/sync-campaigns-property.test.ts
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProgramPair } from '../../lib/settings/schema';
import { marketoStatusOf } from '../../lib/sync/operations/programs/pairs';
import { WEBINAR_STATUSES, webinarPair } from '../support/programPairs';
import { type SyncHarness, startSyncHarness } from './sync-harness';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 4);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261206);
const LEADS = 5;
const SF_STATUSES = ['Sent', 'Responded', 'Invited', 'Registered', 'Attended'];
const MK_STATUSES = WEBINAR_STATUSES.slice(1);

type Action =
  | { kind: 'sfSet'; lead: number; status: number }
  | { kind: 'sfDelete'; lead: number }
  | { kind: 'mkSet'; lead: number; status: number }
  | { kind: 'mkRemove'; lead: number }
  | { kind: 'cycle'; stopAtWrite?: number };

const lead = fc.integer({ min: 0, max: LEADS - 1 });
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('sfSet' as const),
      lead,
      status: fc.nat(SF_STATUSES.length - 1),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sfDelete' as const), lead }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('mkSet' as const),
      lead,
      status: fc.nat(MK_STATUSES.length - 1),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('mkRemove' as const), lead }) },
  {
    weight: 2,
    arbitrary: fc.record(
      { kind: fc.constant('cycle' as const), stopAtWrite: fc.integer({ min: 1, max: 3 }) },
      { requiredKeys: ['kind'] },
    ),
  },
);

async function world() {
  let stop: { at: number; seen: number } | undefined;
  const h: SyncHarness = await startSyncHarness(
    { seed: 'empty' },
    (settings) => {
      settings.objects.Campaign!.enabled = true;
      settings.objects.CampaignMember!.enabled = true;
    },
    (url, init) => {
      const method = init?.method ?? 'GET';
      const write = method !== 'GET' && /members\/(status|delete)\.json|composite\/sobjects/.test(url);
      if (!stop || !write) return;
      stop.seen++;
      // This write is carried out; its answer and the client's retries are lost.
      if (stop.seen === stop.at) {
        const marketo = url.includes('/rest/v1/');
        h.emu.control.injectFault({
          side: marketo ? 'marketo' : 'salesforce',
          kind: 'dropAfter',
          route: new URL(url).pathname,
          method,
          times: 2,
        });
      }
    },
  );
  const leads = Array.from(
    { length: LEADS },
    (_, i) =>
      h.emu.control.sfCreate({
        object: 'Lead',
        fields: { LastName: `P${i}`, Company: 'Acme', Email: `p${i}@example.com` },
      }).id,
  );
  const campaign = h.emu.control.sfCreate({ object: 'Campaign', fields: { Name: 'Webinar' } }).id;
  for (const label of ['Invited', 'Registered', 'Attended'])
    h.emu.control.sfCreate({
      object: 'CampaignMemberStatus',
      fields: { CampaignId: campaign, Label: label },
    });
  const pair: ProgramPair = webinarPair(
    { id: campaign, name: 'Webinar' },
    { id: 1000, name: 'Spring Webinar 2026' },
    { campaignStatuses: SF_STATUSES },
  );
  h.settings.programPairs = [pair];
  await h.cycle();
  const person = (i: number) =>
    (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).find(
      (p) => p.sfdcLeadIdCustom === leads[i],
    )!.id as number;
  const member = (i: number) =>
    (h.emu.control.snapshot().salesforce.CampaignMember ?? []).find(
      (m) => m.CampaignId === campaign && m.LeadId === leads[i] && !m.IsDeleted,
    );
  const run = async (stopAtWrite?: number) => {
    stop = stopAtWrite ? { at: stopAtWrite, seen: 0 } : undefined;
    h.advance(61_000);
    const report = await h.cycle();
    stop = undefined;
    h.emu.control.clearFaults();
    return report;
  };
  return { h, pair, leads, person, member, run };
}

describe('campaign ⇄ program converge', () => {
  it('after any member edits on both sides and stopped cycles', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 14 }), async (actions) => {
        const w = await world();
        try {
          for (const a of actions) {
            if (a.kind === 'sfSet') {
              const existing = w.member(a.lead);
              const Status = SF_STATUSES[a.status]!;
              if (existing) w.h.emu.control.sfUpdate({ id: String(existing.Id), fields: { Status } });
              else
                w.h.emu.control.sfCreate({
                  object: 'CampaignMember',
                  fields: { CampaignId: w.pair.campaignId, LeadId: w.leads[a.lead], Status },
                });
            } else if (a.kind === 'sfDelete') {
              const existing = w.member(a.lead);
              if (existing) w.h.emu.control.sfDelete({ id: String(existing.Id) });
            } else if (a.kind === 'mkSet') {
              w.h.emu.control.mkSetMemberStatus({
                programId: 1000,
                leadId: w.person(a.lead),
                status: MK_STATUSES[a.status]!,
              });
            } else if (a.kind === 'mkRemove') {
              w.h.emu.control.mkRemoveMember({ programId: 1000, leadId: w.person(a.lead) });
            } else await w.run(a.stopAtWrite);
          }
          for (let i = 0; i < 5; i++) await w.run();
          const program = w.h.emu.control.mkProgramMembers({ programId: 1000 });
          for (let i = 0; i < LEADS; i++) {
            const sf = w.member(i)?.Status as string | undefined;
            const mk = program[w.person(i)];
            const context = `lead ${i}: Salesforce ${sf ?? '—'}, Marketo ${mk ?? '—'} after ${JSON.stringify(actions)}`;
            expect(sf === undefined, context).toBe(mk === undefined);
            if (sf === undefined || mk === undefined) continue;
            const wanted = marketoStatusOf(w.pair, sf);
            if (wanted !== mk) {
              // Marketo ahead of what Salesforce asks is the one documented difference.
              expect(WEBINAR_STATUSES.indexOf(mk), context).toBeGreaterThan(
                WEBINAR_STATUSES.indexOf(wanted ?? ''),
              );
            }
          }
        } finally {
          await w.h.stop();
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 600_000);
});
