// Contact role lists after a dead worker (issue 19, docs/objects.md "Contact role lists"): the role
// pull writes its contacts' lists when its read ends, so a worker killed in the middle of the read
// (after some role batches committed) leaves those roles out of their contacts' lists. The log says
// the lists are owed; the next cycle re-reads from where they started to be owed — with nothing
// changed in Salesforce since — and every contact's panel lists exactly its roles. 1,200 roles
// created in one second on 300 contacts: four role batches, each touching most contacts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStates } from '../../lib/db/syncState';
import { contactRolesView } from '../../lib/records/contactRoles';
import { ROLE_LISTS_OWED } from '../../lib/sync/operations/objects/roleLists';
import { createDealsInOneSecond, withDeals } from '../support/dealsInOneSecond';
import { runDyingCycle } from '../support/dyingWorkerLog';
import { type SyncHarness, startSyncHarness } from './sync-harness';

let h: SyncHarness;
let cut: ((url: string, method: string) => void) | undefined;
let rolesOf: Map<string, string[]>;

beforeAll(async () => {
  h = await startSyncHarness({ seed: 'empty' }, withDeals, (url, init) => cut?.(url, init?.method ?? 'GET'));
  rolesOf = createDealsInOneSecond(h.emu.control, {
    accounts: 100,
    contactsPerAccount: 3,
    opportunities: 400,
    closeDate: '2026-12-31',
    roleOf: (n) => `R${n}`,
  }).rolesOf;
}, 300_000);
afterAll(async () => h?.stop());

const ofRolePull = (row: { operation?: string; objectType?: string }) =>
  row.operation === 'Pull Updates' && row.objectType === 'Opportunity Contact Role';

async function listsDiffer(): Promise<string[]> {
  const wrong: string[] = [];
  for (const [contact, roles] of rolesOf) {
    const shown = (await contactRolesView(h.db, contact)).map((r) => r.roleId).sort();
    if (JSON.stringify(shown) !== JSON.stringify([...roles].sort()))
      wrong.push(`${contact}: ${shown.length} of ${roles.length}`);
  }
  return wrong;
}

describe('contact role lists, the role pull killed mid-read', () => {
  it('the next cycle rebuilds the lists the dead worker owed, with nothing changed in Salesforce', async () => {
    const died = await runDyingCycle({
      logName: h.db.name,
      owner: 'dying',
      plan: { afterCommits: 2 },
      ofStep: ofRolePull,
      engineOn: (db) => h.engineOn(db, 'dying'),
      setCut: (next) => {
        cut = next;
      },
    });
    expect(died).toBe(true);
    // Role batches committed, their lists not: the log says they are owed (since the first read).
    const allRoles = [...rolesOf.values()].flat();
    const committed = (await loadStates(h.db, allRoles)).size;
    expect(committed).toBeGreaterThanOrEqual(300);
    expect(committed).toBeLessThan(1200);
    expect((await h.db.cursors.get(ROLE_LISTS_OWED))?.value).toBe('');
    expect((await listsDiffer()).length).toBe(rolesOf.size);
    // The dead worker's lease runs out; the next cycles find nothing changed but the lists owed.
    h.advance(10 * 60_000);
    const report = await h.cycle();
    expect(report.cycle?.status).toBe('Completed');
    const pull = report.steps.find(ofRolePull);
    // The committed roles are re-read and agree (not logged again); the others are new.
    expect(pull).toMatchObject({ new: 1200 - committed, failed: 0 });
    expect(await h.db.cursors.get(ROLE_LISTS_OWED)).toBeUndefined();
    expect(await listsDiffer()).toEqual([]);
    expect(h.emu.control.mkCrmRecords({ kind: 'opportunityRole' })).toHaveLength(1200);
    // And an idle cycle after it reads nothing again.
    h.advance(5 * 60_000);
    const idle = await h.cycle();
    expect(idle.steps.find(ofRolePull)).toMatchObject({ new: 0, updated: 0, skipped: 0 });
    expect(await listsDiffer()).toEqual([]);
  }, 300_000);
});
