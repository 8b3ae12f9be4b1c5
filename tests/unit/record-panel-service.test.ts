import { beforeEach, describe, expect, it } from 'vitest';
import type { SyncLogDatabase } from '../../lib/db/database';
import { type CycleRow, emptyCounters, type SchemaFieldInfo } from '../../lib/db/types';
import { isPanelNotice, type RecordPanelAnswer, type RecordStatusView } from '../../lib/messaging/views';
import { fieldAccess } from '../../lib/records/fieldAccess';
import { createRecordPanelService } from '../../lib/records/panelService';
import { createPendingChecker } from '../../lib/records/pendingCheck';
import { timeZoneFromConnectionTest } from '../../lib/records/userTimeZone';
import { defaultSettings, type SyncSettings } from '../../lib/settings/schema';
import { STORAGE_FULL_REASON } from '../../lib/sync/failureReason';
import { valueHash } from '../../lib/sync/hash';
import { MARKETO_LEAD_SCHEMA } from '../../lib/sync/schemaCache';
import { freshDb } from './db-fixtures';

const LEAD = '00Q5e00000AbCdEEAV';
const field = (name: string, extra: Partial<SchemaFieldInfo> = {}): SchemaFieldInfo => ({
  name,
  label: name,
  type: 'string',
  readable: true,
  updateable: true,
  createable: true,
  calculated: false,
  ...extra,
});

function settingsWith(fields: SyncSettings['objects'][string]['fields']): SyncSettings {
  const settings = defaultSettings();
  settings.objects.Lead = { ...settings.objects.Lead!, fields };
  return settings;
}

let db: SyncLogDatabase;
let row: Record<string, unknown> | undefined;
let queries: string[];
let connected: boolean;
let isAdmin: boolean | undefined;
let settings: SyncSettings;
let now: number;

function service() {
  const pending = createPendingChecker({
    db,
    clock: { now: () => now, sleep: async () => {} },
    salesforce: async () =>
      connected
        ? {
            query: (soql: string) => {
              queries.push(soql);
              return (async function* () {
                yield { records: row ? [row] : [], totalSize: row ? 1 : 0, done: true } as never;
              })() as never;
            },
          }
        : 'not connected (salesforce.instanceUrl)',
  });
  return createRecordPanelService({
    db,
    settings: async () => settings,
    isAdmin: async () => isAdmin,
    timeZone: async () => 'Europe/Amsterdam',
    pending,
    syncing: () => undefined,
    pendingWaitMs: 1000,
  });
}
const asStatus = (a: RecordPanelAnswer) => {
  if (isPanelNotice(a)) throw new Error(`notice ${a.notice}`);
  return a as RecordStatusView;
};

/** The lead as the engine leaves it after a sync: event row, sync state hashes, describes. */
async function syncedLead(values: Record<string, unknown>, mktoId?: number) {
  await db.recordEvents.add({
    cycleId: 1,
    stepId: 1,
    at: 1000,
    operation: 'Pull Updates',
    objectType: 'Person',
    sfIds: [LEAD],
    outcomes: [{ sfId: LEAD, outcome: 'updated', ...(mktoId && { mktoId }) }],
    failedCount: 0,
  } as never);
  const f = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, valueHash(v)]));
  await db.syncState.add({
    at: 1000,
    sfIds: [LEAD],
    mktoIds: mktoId ? [mktoId] : [],
    entries: { [LEAD]: { o: 'Lead', f, ...(mktoId && { m: mktoId }) } },
  } as never);
}

beforeEach(async () => {
  db = freshDb();
  row = undefined;
  queries = [];
  connected = true;
  isAdmin = undefined;
  now = 10_000;
  settings = settingsWith([
    { salesforceField: 'Title', marketoField: 'title', direction: 'both' },
    { salesforceField: 'Phone', marketoField: 'phone', direction: 'pull' },
    { salesforceField: 'Secret__c', marketoField: 'secret', direction: 'pull' },
    { salesforceField: 'Rating', marketoField: 'rating', direction: 'push' },
  ]);
  await db.schemas.bulkPut([
    {
      objectType: 'Lead',
      fields: [
        field('Title'),
        field('Phone'),
        field('Rating', { updateable: false }),
        field('Do_Not_Sync_to_Marketo__c'),
      ],
      newFields: [],
      checkedAt: 0,
    },
    {
      objectType: MARKETO_LEAD_SCHEMA,
      fields: [field('title'), field('phone'), field('rating'), field('secret')],
      newFields: [],
      checkedAt: 0,
    },
  ]);
});

describe('record panel service', () => {
  it('tells a known non-admin only that admin permissions are required', async () => {
    isAdmin = false;
    await syncedLead({ Title: 'CTO', Phone: '1' }, 7);
    const answer = await service()({ objectType: 'Lead', recordId: LEAD });
    expect(answer).toEqual({ objectType: 'Lead', recordId: LEAD, notice: 'admin-required' });
    expect(queries).toEqual([]);
  });

  it('shows no panel on objects the sync does not handle', async () => {
    const answer = await service()({ objectType: 'Opportunity', recordId: '0065e00000AbCdEEAV' });
    expect(answer).toMatchObject({ notice: 'not-synced' });
  });

  it('says synced when the record’s mapped fields hash to what was synced, with field access', async () => {
    await syncedLead({ Title: 'CTO', Phone: '1' }, 7);
    row = { Id: LEAD, Title: 'CTO', Phone: '1', Do_Not_Sync_to_Marketo__c: false };
    const view = asStatus(await service()({ objectType: 'Lead', recordId: LEAD }));
    expect(view).toMatchObject({
      state: 'synced',
      mktoId: 7,
      direction: 'pull',
      timeZone: 'Europe/Amsterdam',
    });
    expect(view.hiddenFields).toEqual(['Secret__c']);
    expect(view.readOnlyFields).toEqual(['Rating']);
    expect(queries[0]).toBe(
      `SELECT Id, Title, Phone, Do_Not_Sync_to_Marketo__c FROM Lead WHERE Id = '${LEAD}' LIMIT 1`,
    );
  });

  it('says pending, naming the fields, when a mapped field changed since; cached until the log changes', async () => {
    await syncedLead({ Title: 'CTO', Phone: '1' }, 7);
    row = { Id: LEAD, Title: 'CEO', Phone: '1', Do_Not_Sync_to_Marketo__c: false };
    const ask = service();
    const view = asStatus(await ask({ objectType: 'Lead', recordId: LEAD }));
    expect(view).toMatchObject({ state: 'pending', pendingFields: ['Title'] });
    row = { ...row, Title: 'CTO' };
    expect(asStatus(await ask({ objectType: 'Lead', recordId: LEAD })).state).toBe('pending');
    expect(queries).toHaveLength(1);
    now += 16_000; // past the cache's 15 s
    expect(asStatus(await ask({ objectType: 'Lead', recordId: LEAD })).state).toBe('synced');
    expect(queries).toHaveLength(2);
  });

  it('says excluded when the filter field is checked now, and why', async () => {
    await syncedLead({ Title: 'CTO', Phone: '1' }, 7);
    row = { Id: LEAD, Title: 'CTO', Phone: '1', Do_Not_Sync_to_Marketo__c: true };
    const view = asStatus(await service()({ objectType: 'Lead', recordId: LEAD }));
    expect(view).toMatchObject({ state: 'excluded', excludedReason: 'Do_Not_Sync_to_Marketo__c is checked' });
  });

  it('says not linked for a lead without a Marketo person', async () => {
    row = { Id: LEAD, Title: 'CTO' };
    const view = asStatus(await service()({ objectType: 'Lead', recordId: LEAD }));
    expect(view.state).toBe('not-linked');
  });

  it('keeps the logged state and says why when the live check cannot run', async () => {
    await syncedLead({ Title: 'CTO', Phone: '1' }, 7);
    connected = false;
    const view = asStatus(await service()({ objectType: 'Lead', recordId: LEAD }));
    expect(view.state).toBe('synced');
    expect(view.pendingUnknown).toContain('not connected');
  });
});

describe('record panel: the last cycle', () => {
  const cycle = (id: number, startedAt: number, end: Partial<CycleRow>): CycleRow => ({
    id,
    trigger: 'schedule',
    startedAt,
    endedAt: startedAt + 10,
    status: 'Completed',
    totals: emptyCounters(),
    apiCalls: { salesforce: 0, marketo: 0 },
    ...end,
  });

  it('says why the newest finished cycle failed when the reason concerns the whole sync', async () => {
    await syncedLead({ Title: 'CTO', Phone: '1' }, 7);
    row = { Id: LEAD, Title: 'CTO', Phone: '1', Do_Not_Sync_to_Marketo__c: false };
    const raw = 'QuotaExceededError The transaction was aborted because the storage quota was exceeded.';
    await db.cycles.bulkAdd([
      cycle(1, 100, {}),
      cycle(2, 200, { status: 'Failed', error: raw, reason: STORAGE_FULL_REASON }),
      // Running now: it has nothing to say yet, the failed one before it still stands.
      cycle(3, 300, { status: 'In Process', endedAt: null }),
    ]);
    const view = asStatus(await service()({ objectType: 'Lead', recordId: LEAD }));
    expect(view.cycleProblem).toEqual({ id: 2, status: 'Failed', reason: STORAGE_FULL_REASON, error: raw });
  });

  it('says nothing of a completed cycle, nor of a failure without a classified reason (a record error)', async () => {
    await syncedLead({ Title: 'CTO', Phone: '1' }, 7);
    row = { Id: LEAD, Title: 'CTO', Phone: '1', Do_Not_Sync_to_Marketo__c: false };
    await db.cycles.add(cycle(1, 100, { status: 'Failed', error: 'Push New Task: lead 00Q… refused' }));
    expect(asStatus(await service()({ objectType: 'Lead', recordId: LEAD })).cycleProblem).toBeUndefined();
    await db.cycles.add(cycle(2, 200, {}));
    expect(asStatus(await service()({ objectType: 'Lead', recordId: LEAD })).cycleProblem).toBeUndefined();
  });
});

describe('field access and time zone', () => {
  it('claims nothing without a describe snapshot', () => {
    expect(fieldAccess(settings.objects.Lead, undefined)).toEqual({ hidden: [], readOnly: [] });
  });

  it('reads the time zone only from a successful stored test', () => {
    expect(timeZoneFromConnectionTest({ salesforce: { ok: true, who: { timeZone: 'Asia/Tokyo' } } })).toBe(
      'Asia/Tokyo',
    );
    expect(timeZoneFromConnectionTest({ salesforce: { ok: false, error: 'x' } })).toBeUndefined();
    expect(timeZoneFromConnectionTest('garbage')).toBeUndefined();
  });
});
