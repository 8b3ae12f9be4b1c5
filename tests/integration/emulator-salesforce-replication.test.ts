// updated/ and deleted/: second truncation, latestDateCovered, the 30/15-day windows,
// earliestDateAvailable, INVALID_REPLICATION_DATE and EXCEEDED_ID_LIMIT — with a moving clock.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';
import { sfClient } from '../../emulator/testing';

const T0 = Date.parse('2026-06-01T12:00:30Z');
const MIN = 60_000;
const DAY = 86_400_000;
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty', now: () => T0, salesforce: { maxReplicationIds: 3 } });
});
beforeEach(() => {
  emu.control.setTime({ at: T0 });
  emu.control.reset();
});
afterAll(() => emu.stop());

const iso = (ms: number) => new Date(ms).toISOString();
const window = (kind: 'updated' | 'deleted', start: number, end: number) =>
  sfClient(emu.info).get<Record<string, unknown>>(
    `sobjects/Lead/${kind}/?start=${encodeURIComponent(iso(start))}&end=${encodeURIComponent(iso(end))}`,
  );
const newLead = (name: string) =>
  emu.control.sfCreate({ object: 'Lead', fields: { LastName: name, Company: 'Acme' } }).id;

describe('updated/', () => {
  it('returns ids changed in [start, latestDateCovered) with minutes truncated', async () => {
    const a = newLead('a');
    emu.control.advanceTime({ ms: 2 * MIN });
    const b = newLead('b');
    emu.control.advanceTime({ ms: 2 * MIN });
    const res = await window('updated', T0 - MIN, T0 + 10 * MIN);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ids: [a, b], latestDateCovered: '2026-06-01T12:04:00.000+0000' });
    const narrow = await window('updated', T0 + MIN, T0 + 10 * MIN);
    expect(narrow.body.ids).toEqual([b]);
    emu.control.sfUpdate({ id: a, fields: { Title: 'moved' } });
    emu.control.advanceTime({ ms: MIN });
    expect((await window('updated', T0 + 3 * MIN, T0 + 10 * MIN)).body.ids).toEqual([a]);
  });

  it('rejects a start older than 30 days and start >= end with INVALID_REPLICATION_DATE', async () => {
    const old = await window('updated', T0 - 31 * DAY, T0);
    expect(old.status).toBe(400);
    expect((old.body as unknown as { errorCode: string }[])[0]!.errorCode).toBe('INVALID_REPLICATION_DATE');
    expect((await window('updated', T0 - 29 * DAY, T0)).status).toBe(200);
    expect((await window('updated', T0, T0 + 20_000)).status).toBe(400);
  });

  it('answers EXCEEDED_ID_LIMIT when a window holds too many ids', async () => {
    for (const n of ['1', '2', '3', '4']) newLead(n);
    emu.control.advanceTime({ ms: MIN });
    const res = await window('updated', T0 - MIN, T0 + MIN);
    expect(res.status).toBe(400);
    expect((res.body as unknown as { errorCode: string }[])[0]!.errorCode).toBe('EXCEEDED_ID_LIMIT');
  });
});

describe('deleted/', () => {
  it('lists deletions with deletedDate, earliestDateAvailable and latestDateCovered; undelete removes them', async () => {
    const a = newLead('a');
    emu.control.advanceTime({ ms: MIN });
    emu.control.sfDelete({ id: a });
    emu.control.advanceTime({ ms: MIN });
    const res = await window('deleted', T0 - MIN, T0 + 5 * MIN);
    expect(res.body).toEqual({
      deletedRecords: [{ id: a, deletedDate: '2026-06-01T12:01:30.000+0000' }],
      earliestDateAvailable: expect.stringMatching(/^2026-05-17T12:02:00\.000\+0000$/),
      latestDateCovered: '2026-06-01T12:02:00.000+0000',
    });
    emu.control.sfUndelete({ id: a });
    expect((await window('deleted', T0 - MIN, T0 + 5 * MIN)).body.deletedRecords).toEqual([]);
  });

  it('keeps purged records in the log, moves earliestDateAvailable when the log is cut, and enforces 15 days', async () => {
    const a = newLead('a');
    emu.control.sfDelete({ id: a });
    emu.control.sfPurge({ id: a });
    emu.control.advanceTime({ ms: 2 * MIN });
    expect((await window('deleted', T0 - MIN, T0 + 2 * MIN)).body.deletedRecords).toHaveLength(1);
    emu.control.setDeletedLogStart({ object: 'Lead', at: T0 + MIN });
    const cut = await window('deleted', T0 - MIN, T0 + 2 * MIN);
    expect(cut.body).toMatchObject({
      deletedRecords: [],
      earliestDateAvailable: '2026-06-01T12:01:00.000+0000',
    });
    emu.control.advanceTime({ ms: 16 * DAY });
    const late = await window('deleted', T0 - MIN, T0 + 16 * DAY);
    expect(late.status).toBe(400);
    expect((late.body as unknown as { errorCode: string }[])[0]!.errorCode).toBe('INVALID_REPLICATION_DATE');
  });
});
