// Property: after any sequence of user edits on both sides (hostile values, whitespace-only
// changes, the same field on both sides, same-second bulk inserts, deletes, conversions, form
// fills; opportunities, contact roles, users and a custom object's records created, edited,
// re-parented and deleted, contacts merged, leads converted into a deal), faults of every kind on any route, expired sessions and tokens, and cycles cut short at
// any write (worker killed before or after a request, or at a log write), storage errors and spent
// budgets — once the faults stop and clean cycles run until quiet, nothing is lost or duplicated,
// every mapped field of every synced record agrees on both sides (opportunities, roles, sales
// persons, companies and custom records included: scripts/soak/objectsJudge.ts), and the record panel shows each
// record Synced (or Failed, with the reason). The world, the actions and the judge are the soak's
// (scripts/soak/). A small org and few runs keep it under a minute in CI; a long run:
//   PROPERTY_RUNS=1000 PROPERTY_SEED=7 npx vitest run tests/integration/sync-property.test.ts
// and to replay one failure it printed ({ seed: 11, path: "395" }): PROPERTY_SEED=11 PROPERTY_PATH=395
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../lib/settings/schema';
import {
  editableMappings,
  FAULT_KINDS,
  FAULT_ROUTES,
  HOSTILE_TEXTS,
  type SoakAction,
} from '../../scripts/soak/actions';
import { seedObjects } from '../../scripts/soak/objects';
import { isClean, judge, verdictLine } from '../../scripts/soak/oracle';
import { checkLog, newRun, perform, settle } from '../../scripts/soak/run';
import { type CycleStop, startSoakWorld } from '../../scripts/soak/world';
import { expectCountInvariant } from './sync-harness';
import { salesforceActivity } from './sync-property-activities';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 6);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261206);
const LEADS = 4;
const CONTACTS = 2;

const side = fc.constantFrom('salesforce' as const, 'marketo' as const);
const stop: fc.Arbitrary<CycleStop> = fc.oneof(
  fc.record({
    kind: fc.constant('kill' as const),
    atWrite: fc.integer({ min: 1, max: 60 }),
    afterRequest: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('storageError' as const), atWrite: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ kind: fc.constant('budget' as const), maxApiCalls: fc.integer({ min: 1, max: 12 }) }),
);
const action: fc.Arbitrary<SoakAction> = fc.oneof(
  // A marketer's emails, one folder synced to email templates (scripts/soak/emails.ts).
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('email' as const),
      op: fc.nat(),
      record: fc.nat(),
      variant: fc.nat(),
    }),
  },
  {
    // Campaign members added, moved or removed on either side (scripts/soak/members.ts).
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('member' as const),
      side,
      record: fc.nat(),
      status: fc.nat(),
      remove: fc.boolean(),
    }),
  },
  {
    // Opportunities, roles, users, a custom object: created, edited, re-parented, deleted, merged…
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('object' as const),
      op: fc.nat(),
      record: fc.nat(),
      target: fc.nat(),
      value: fc.nat(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      side: fc.constantFrom('salesforce' as const, 'marketo' as const, 'both' as const),
      object: fc.constantFrom('Lead' as const, 'Contact' as const, 'Account' as const),
      record: fc.nat(),
      field: fc.nat(),
      value: fc.nat(),
      otherValue: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bulkInsert' as const),
      // A few; or more than one 300-record batch, all in one SystemModstamp second.
      count: fc.oneof(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 301, max: 700 })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      object: fc.constantFrom('Lead' as const, 'Contact' as const),
      record: fc.nat(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('convert' as const), record: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('activity' as const), record: fc.nat() }) },
  // Tasks and Events logged, edited, deleted in Salesforce (scripts/soak/activities.ts).
  { weight: 2, arbitrary: salesforceActivity },
  {
    weight: 3,
    arbitrary: side.chain((s) =>
      fc.record({
        kind: fc.constant('fault' as const),
        side: fc.constant(s),
        route: fc.nat(FAULT_ROUTES[s] - 1),
        fault: fc.nat(FAULT_KINDS[s] - 1),
        times: fc.integer({ min: 1, max: 5 }),
      }),
    ),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), side }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('cycle' as const),
      stop: fc.option(stop, { nil: undefined }),
      advanceMs: fc.constantFrom(0, 400, 1_000, 60_000, 5 * 60_000),
    }),
  },
);

// The cases issue 14 reported, run first on every run (fast-check `examples`), then random ones.
const field = (side: 'salesforce' | 'marketo', name: string) =>
  editableMappings(defaultSettings(), 'Lead', side).findIndex((f) => f.salesforceField === name);
const text = (value: string) => HOSTILE_TEXTS.indexOf(value);
/** valueFor's first choice after the hostile texts: the current value with a space before it. */
const PADDED = HOSTILE_TEXTS.length;
const edit = (side: 'salesforce' | 'marketo', name: string, value: number): SoakAction => ({
  kind: 'edit',
  side,
  object: 'Lead',
  record: 0,
  field: field(side, name),
  value,
  otherValue: value,
});
const cycle = (stop?: CycleStop): SoakAction => ({ kind: 'cycle', advanceMs: 1_000, ...(stop && { stop }) });
const REPORTED: SoakAction[][] = [
  // A data import of 700 leads in one second; the worker stopped at a write in each of six cycles
  // (on today's engine one lands in Pull Updates: the rest is skipped and 100 persons the stopped
  // worker created stay unknown to the log).
  [
    { kind: 'bulkInsert', count: 700 },
    ...[30, 40, 50, 60, 70, 80].map((atWrite) => cycle({ kind: 'kill', atWrite, afterRequest: true })),
  ],
  // Marketo's State "CA" refused by the validation rule; then Title syncs: State is still owed.
  [edit('marketo', 'State', text('CA')), cycle(), edit('marketo', 'Title', text('VP Sales')), cycle()],
  // A whitespace-only edit on each side.
  [edit('salesforce', 'Title', PADDED), cycle(), edit('marketo', 'Phone', text('VP Sales')), cycle()],
  [edit('marketo', 'Company', PADDED), cycle()],
  // Email templates (issue 20): an email unapproved, another approved again, one deleted.
  [
    { kind: 'email', op: 1, record: 0, variant: 5 },
    cycle(),
    ...[3, 1, 5].map((op, record): SoakAction => ({ kind: 'email', op, record, variant: 3 })),
    cycle(),
  ],
  // The log cannot be written (a full disk) at the cycle's 5th write.
  [edit('salesforce', 'City', text('Director')), cycle({ kind: 'storageError', atWrite: 5 }), cycle()],
];

describe('sync convergence (property)', () => {
  it(
    'nothing lost, duplicated or drifted; every record shown Synced or Failed with its reason',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 16 }), async (actions) => {
          const world = await startSoakWorld({ seed: 'empty' });
          const log: string[] = [];
          const run = newRun(world, (line) => log.push(line));
          run.onReport = (report) => expectCountInvariant(world.db, report);
          try {
            const { control } = world.emu;
            const leads = Array.from(
              { length: LEADS },
              (_, i) =>
                control.sfCreate({
                  object: 'Lead',
                  fields: {
                    LastName: `P${i}`,
                    Company: 'Acme',
                    Email: `p${i}@acme.example.com`,
                    Title: 'CTO',
                  },
                }).id,
            );
            const { id: accountId } = control.sfCreate({ object: 'Account', fields: { Name: 'Acme' } });
            const contacts = Array.from(
              { length: CONTACTS },
              (_, i) =>
                control.sfCreate({
                  object: 'Contact',
                  fields: { LastName: `C${i}`, AccountId: accountId, Email: `c${i}@acme.example.com` },
                }).id,
            );
            seedObjects(world.emu, accountId, contacts, leads);
            const since = world.clock.now() + 1;
            await perform(run, { kind: 'cycle', advanceMs: 0 });
            for (const a of actions) await perform(run, a);
            await settle(run);
            await checkLog(run);
            const verdict = await judge(world.emu, world.db, world.settings, since);
            const ok = isClean(verdict) && run.problems.length === 0;
            expect(
              ok,
              [
                verdictLine(verdict),
                ...run.problems.map((p) => `log: ${p}`),
                ...verdict.lost.slice(0, 20).map((l) => `lost: ${l}`),
                ...verdict.duplicated.slice(0, 20).map((d) => `duplicated: ${d}`),
                ...verdict.drifted.slice(0, 20).map((d) => `drifted: ${d}`),
                '--- what happened:',
                ...log,
              ].join('\n'),
            ).toBe(true);
          } finally {
            await world.stop();
          }
        }),
        {
          numRuns: RUNS,
          seed: SEED,
          ...(process.env.PROPERTY_PATH && { path: process.env.PROPERTY_PATH }),
          endOnFailure: !process.env.PROPERTY_SHRINK,
          examples: REPORTED.map((actions) => [actions]),
        },
      );
    },
    55_000 + RUNS * 15_000,
  );
});
