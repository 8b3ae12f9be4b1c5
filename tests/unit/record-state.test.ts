// The rules of a record's current state (lib/records/recordState.ts), table by table: which part
// wins (live check, flags, newest batch rows), what a stored sync state reads as, and how owed
// fields are kept and settled (lib/db/recordFlags.ts, lib/sync/owedFields.ts).
import { describe, expect, it } from 'vitest';
import { applyOutcome } from '../../lib/db/recordFlags';
import type { RecordEventView } from '../../lib/db/recordStatus';
import { type SyncState, type SyncStateEntry, toStoredEntry, toSyncState } from '../../lib/db/syncStateTypes';
import type { Operation, PackedOutcome, RecordFlagsRow } from '../../lib/db/types';
import type { PendingCheck } from '../../lib/records/pendingCheck';
import {
  loggedFlags,
  PENDING_CHECKING,
  type ShownState,
  type ShownStateInput,
  shownState,
} from '../../lib/records/recordState';
import { NOT_HELD, owedAfterFailure, planFields } from '../../lib/sync/owedFields';

const checked = (changed: string[], excludedBy?: string): PendingCheck => ({
  kind: 'checked',
  changed,
  ...(excludedBy && { excludedBy }),
});
const base: ShownStateInput = { logged: 'synced', person: true, linked: true, everSynced: true };

describe('which state is shown', () => {
  const rows: [string, Partial<ShownStateInput>, ShownState][] = [
    ['synced, nothing changed', { live: checked([]) }, { state: 'synced' }],
    ['synced, changed since', { live: checked(['Title']) }, { state: 'pending', pendingFields: ['Title'] }],
    [
      'skipped, changed since',
      { logged: 'skipped', live: checked(['A']) },
      { state: 'pending', pendingFields: ['A'] },
    ],
    [
      'failed stays failed, listing the changes',
      { logged: 'failed', live: checked(['State']) },
      { state: 'failed', pendingFields: ['State'] },
    ],
    [
      'never synced: changes are not "pending"',
      { everSynced: false, live: checked(['A']) },
      { state: 'synced' },
    ],
    [
      'the filter field checked now wins over failed',
      { logged: 'failed', live: checked(['A'], 'Do_Not_Sync__c') },
      { state: 'excluded', excludedReason: 'Do_Not_Sync__c is checked' },
    ],
    [
      'already excluded keeps its logged reason',
      { logged: 'excluded', excludedReason: 'by rule', live: checked([], 'F') },
      { state: 'excluded', excludedReason: 'by rule' },
    ],
    [
      'excluded, filter cleared since: pending',
      { logged: 'excluded', excludedReason: 'F is checked', live: checked(['A']) },
      { state: 'pending', excludedReason: 'F is checked', pendingFields: ['A'] },
    ],
    [
      'excluded, filter cleared, no person linked: not-linked',
      { logged: 'excluded', linked: false, live: checked([]) },
      { state: 'not-linked', pendingFields: [] },
    ],
    ['deleted is final', { logged: 'deleted', live: checked(['A'], 'F') }, { state: 'deleted' }],
    ['converted is final', { logged: 'converted', linked: false }, { state: 'converted' }],
    [
      'a Sync now under way shows the logged state',
      { logged: 'failed', syncing: 'running' },
      { state: 'failed' },
    ],
    ['check still running', {}, { state: 'synced', pendingUnknown: PENDING_CHECKING }],
    [
      'check impossible',
      { live: { kind: 'unknown', reason: 'not connected' } },
      { state: 'synced', pendingUnknown: 'not connected' },
    ],
    ['record gone from Salesforce', { live: { kind: 'missing' } }, { state: 'synced' }],
    ['a person without Marketo person', { linked: false, live: checked([]) }, { state: 'not-linked' }],
    [
      'never seen, no person',
      { logged: 'unknown', linked: false, everSynced: false, live: checked(['A']) },
      { state: 'not-linked' },
    ],
    ['an account needs no person', { person: false, linked: false, live: checked([]) }, { state: 'synced' }],
    [
      'failed without a person stays failed',
      { logged: 'failed', linked: false, live: checked([]) },
      { state: 'failed' },
    ],
  ];
  it.each(rows)('%s', (_name, input, expected) => {
    expect(shownState({ ...base, ...input })).toEqual(expected);
  });
});

describe('a stored sync state, read with readable names (the storage boundary)', () => {
  const rows: [string, SyncStateEntry, SyncState][] = [
    [
      'a synced contact',
      { o: 'Contact', f: { Email: 'h1' }, m: 7, k: 7, a: '001000000000001AAA' },
      {
        sobject: 'Contact',
        hashes: { Email: 'h1' },
        marketoId: 7,
        indexedMarketoId: 7,
        accountId: '001000000000001AAA',
      },
    ],
    [
      'a row written before owed fields were kept (p only)',
      { o: 'Lead', f: {}, m: 3, p: true, x: true },
      { sobject: 'Lead', hashes: {}, marketoId: 3, pushOwed: true, excluded: true },
    ],
    [
      'owed both ways, converted',
      {
        o: 'Lead',
        f: {},
        p: true,
        c: '003000000000001AAA',
        w: { push: { State: 'h' }, pull: { Email: '' } },
      },
      {
        sobject: 'Lead',
        hashes: {},
        pushOwed: true,
        convertedTo: '003000000000001AAA',
        owed: { push: { State: 'h' }, pull: { Email: '' } },
      },
    ],
  ];
  it.each(rows)('%s', (_name, entry, state) => {
    expect(toSyncState(entry)).toEqual(state);
    expect(toStoredEntry(state)).toEqual(entry);
  });
});

const SF = '00Q000000000001AAA';
const failingRow = (
  owed?: Record<string, unknown>,
  operation: Operation = 'Push Updates',
): RecordFlagsRow => ({
  sfId: SF,
  objectType: 'Person',
  state: 'failed',
  lastOperation: operation,
  attempts: 1,
  lastError: {
    code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
    message: 'Use the full state name',
    fields: ['State'],
  },
  pending: {
    [operation]: {
      attempts: 1,
      at: 1000,
      cycleId: 1,
      nextRetryAt: 61_000,
      error: {
        code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        message: 'Use the full state name',
        fields: ['State'],
      },
      ...(owed && { owed }),
    },
  },
  history: [],
  updatedAt: 1000,
});
const event = (
  outcome: Partial<PackedOutcome>,
  operation: Operation = 'Push Updates',
  at = 2000,
): RecordEventView => ({
  sfId: SF,
  outcome: 'updated',
  ...outcome,
  eventId: at,
  at,
  cycleId: 2,
  stepId: 2,
  operation,
  objectType: 'Person',
});

describe('owed fields decide when a failure is settled', () => {
  const rows: [string, RecordFlagsRow | undefined, RecordEventView[], string, unknown][] = [
    [
      'success on another field keeps State owed',
      failingRow({ State: 'CA' }),
      [event({ settles: [] })],
      'failed',
      { State: 'CA' },
    ],
    [
      'writing State settles it',
      failingRow({ State: 'CA' }),
      [event({ settles: ['State'] })],
      'synced',
      undefined,
    ],
    [
      'a skip that settles State (back to the synced value)',
      failingRow({ State: 'CA' }),
      [event({ outcome: 'skipped', settles: ['State'] })],
      'synced',
      undefined,
    ],
    [
      'one of two settled',
      failingRow({ State: 'CA', Title: 'x' }),
      [event({ settles: ['Title'] })],
      'failed',
      { State: 'CA' },
    ],
    [
      'a skip that says why (a change below its threshold) shows skipped',
      undefined,
      [event({ outcome: 'skipped', reason: 'below the change threshold' }, 'Push Updates', 3000)],
      'skipped',
      undefined,
    ],
    [
      'a success that says nothing settles all (older operations)',
      failingRow({ State: 'CA' }),
      [event({})],
      'synced',
      undefined,
    ],
    [
      'a row written before owed fields: success settles',
      failingRow(),
      [event({ settles: [] })],
      'synced',
      undefined,
    ],
    [
      "another operation's success leaves it",
      failingRow({ State: 'CA' }),
      [event({}, 'Pull Updates')],
      'failed',
      { State: 'CA' },
    ],
    [
      'a flags row newer than the event wins',
      failingRow({ State: 'CA' }),
      [event({}, 'Push Updates', 500)],
      'failed',
      { State: 'CA' },
    ],
    [
      'no flags row: the newest event',
      undefined,
      [event({ outcome: 'excluded' }, 'Pull Updates', 3000), event({}, 'Pull Updates', 2000)],
      'excluded',
      undefined,
    ],
  ];
  it.each(rows)('%s', (_name, flags, events, state, owed) => {
    const logged = loggedFlags({ ...(flags && { flags }), events });
    expect(logged?.state).toBe(state);
    expect(logged?.pending?.['Push Updates']?.owed).toEqual(owed);
  });

  it('a failure keeps the error of the newest pending failure for the panel', () => {
    const row = applyOutcome(failingRow({ State: 'CA' }), event({ settles: [] }), event({}));
    expect(row).toMatchObject({
      state: 'failed',
      lastOperation: 'Push Updates',
      lastError: { fields: ['State'] },
    });
  });
});

describe('which owed fields are written', () => {
  const field = (sf: string, hash: string) => ({ sf, hash });
  const rows: [
    string,
    { sf: string; hash: string }[],
    Record<string, string> | undefined,
    boolean,
    string[],
    Record<string, string>,
    string[],
  ][] = [
    ['nothing owed: changed fields', [field('A', 'a2'), field('B', 'b1')], undefined, false, ['A'], {}, []],
    [
      'owed, same refused value: held back',
      [field('State', 'ca')],
      { State: 'ca' },
      false,
      [],
      { State: 'ca' },
      [],
    ],
    ['owed, retry: written', [field('State', 'ca')], { State: 'ca' }, true, ['State'], {}, ['State']],
    ['owed, new value: written', [field('State', 'tx')], { State: 'ca' }, false, ['State'], {}, ['State']],
    [
      'owed, back to the synced value: settled',
      [field('State', 's1')],
      { State: 'ca' },
      false,
      [],
      {},
      ['State'],
    ],
    [
      'owed, not in this read: stays owed',
      [field('Title', 't2')],
      { State: 'ca' },
      false,
      ['Title'],
      { State: 'ca' },
      [],
    ],
    [
      'owed but not blamed: written',
      [field('Title', 't1x')],
      { Title: NOT_HELD },
      false,
      ['Title'],
      {},
      ['Title'],
    ],
  ];
  const synced = { A: 'a1', B: 'b1', State: 's1', Title: 't1' };
  it.each(rows)('%s', (_name, candidates, owed, retry, write, held, settles) => {
    const plan = planFields(candidates, synced, owed, retry, false);
    expect(plan.write.map((f) => f.sf)).toEqual(write);
    expect(plan.held).toEqual(held);
    expect(plan.settles).toEqual(settles);
  });

  it('a complete read settles an owed field that is no longer mapped; a feed page keeps it', () => {
    expect(planFields([field('Title', 't1')], { Title: 't1' }, { State: 'ca' }, false, true)).toMatchObject({
      held: {},
      settles: ['State'],
    });
    expect(planFields([field('Title', 't1')], { Title: 't1' }, { State: 'ca' }, false, false)).toMatchObject({
      held: { State: 'ca' },
      settles: [],
    });
  });

  it('after a refusal, holds back the blamed field, else the repeated ones, else all it tried', () => {
    const tried = [field('State', 'ca'), field('Title', 't2')];
    expect(owedAfterFailure(tried, {}, undefined, ['State'])).toEqual({ State: 'ca', Title: NOT_HELD });
    expect(owedAfterFailure(tried, {}, { State: 'ca' })).toEqual({ State: 'ca', Title: NOT_HELD });
    expect(owedAfterFailure(tried, { Phone: 'p' }, undefined)).toEqual({
      Phone: 'p',
      State: 'ca',
      Title: 't2',
    });
  });
});
