// Opportunities, contact roles, users and account types, engine against the emulator over real
// HTTP (issue 19): each (operation, object) step creates, updates, re-parents and deletes; a role
// whose contact is not in Marketo yet is queued then written; owners become sales persons; the 1018
// refusal fails the step with the plain reason. The count invariant is checked on every step of
// every cycle (sync-harness.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecordPanelService } from '../../lib/records/panelService';
import { createPendingChecker } from '../../lib/records/pendingCheck';
import { MARKETO_CRM_SYNC_REASON } from '../../lib/sync/failureReason';
import { type SyncHarness, startSyncHarness, stepOf } from './sync-harness';

let h: SyncHarness;
beforeEach(async () => {
  h = await startSyncHarness({ seed: 'empty' }, (s) => {
    for (const o of ['Opportunity', 'OpportunityContactRole', 'User'] as const) s.objects[o]!.enabled = true;
  });
});
afterEach(() => h.stop());

const create = (object: string, fields: Record<string, unknown>) =>
  h.emu.control.sfCreate({ object, fields }).id;
const records = (kind: 'opportunity' | 'opportunityRole' | 'company' | 'salesPerson') =>
  h.emu.control.mkCrmRecords({ kind });
const personOf = (sfId: string) =>
  (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).find((p) => p.sfdcContactIdCustom === sfId)
    ?.id;

function deal() {
  const account = create('Account', { Name: 'Acme', Type: 'Customer - Direct' });
  const contacts = [1, 2].map((n) =>
    create('Contact', { LastName: `C${n}`, Email: `c${n}@acme.example`, AccountId: account }),
  );
  const opportunity = create('Opportunity', {
    Name: 'Acme expansion',
    AccountId: account,
    StageName: 'Prospecting',
    CloseDate: '2026-06-30',
    Amount: 5000,
  });
  const roles = contacts.map((ContactId, n) =>
    create('OpportunityContactRole', {
      OpportunityId: opportunity,
      ContactId,
      Role: n ? 'Evaluator' : 'Decision Maker',
      IsPrimary: n === 0,
    }),
  );
  return { account, contacts, opportunity, roles };
}

describe('first sync and updates', () => {
  it('writes sales persons, the company, the opportunity and its roles on the right persons', async () => {
    const { account, contacts, opportunity } = deal();
    const report = await h.cycle();
    expect(report.cycle?.status, report.cycle?.error).toBe('Completed');
    expect(stepOf(report, 'Pull Updates', 'User').new).toBe(2);
    expect(stepOf(report, 'Pull Updates', 'Account Type').new).toBe(1);
    expect(stepOf(report, 'Pull Updates', 'Opportunity').new).toBe(1);
    expect(stepOf(report, 'Pull Updates', 'Opportunity Contact Role').new).toBe(2);
    const [opp] = records('opportunity');
    expect(opp).toMatchObject({
      externalOpportunityId: opportunity,
      name: 'Acme expansion',
      stage: 'Prospecting',
      amount: 5000,
      isClosed: false,
      externalCompanyId: account,
    });
    expect(records('company')).toEqual([
      expect.objectContaining({
        externalCompanyId: account,
        company: 'Acme',
        accountType: 'Customer - Direct',
      }),
    ]);
    const roles = records('opportunityRole');
    expect(roles.map((r) => [r.leadId, r.role, r.isPrimary])).toEqual([
      [personOf(contacts[0]!), 'Decision Maker', true],
      [personOf(contacts[1]!), 'Evaluator', false],
    ]);
    // The contacts' owner is a sales person now, and linked.
    const persons = records('salesPerson').map((p) => p.externalSalesPersonId);
    const contact = (h.emu.marketo.snapshot().leads as Record<string, unknown>[]).find(
      (p) => p.id === roles[0]!.leadId,
    );
    expect(persons).toContain(contact?.externalSalesPersonId);
    // Nothing changed: after the first cycle (whose feed probes still see the first sync's own
    // last minute, changes.ts), every new step skips without a call.
    h.advance();
    await h.cycle({ trigger: 'schedule' });
    h.advance();
    h.sfCounter.reset();
    h.mkCounter.reset();
    const idle = await h.cycle({ trigger: 'schedule' });
    expect(idle.steps.filter((s) => s.objectType === 'Opportunity').every((s) => s.skipped === 0)).toBe(true);
    expect(h.sfCounter.total() + h.mkCounter.total()).toBeLessThanOrEqual(3);
  });

  it('updates a changed opportunity, re-parents it, and moves a role to another contact', async () => {
    const { contacts, opportunity, roles } = deal();
    await h.cycle();
    const other = create('Account', { Name: 'Globex', Type: 'Partner' });
    const third = create('Contact', { LastName: 'C3', Email: 'c3@globex.example', AccountId: other });
    h.advance();
    h.emu.control.sfUpdate({ id: opportunity, fields: { StageName: 'Closed Won', AccountId: other } });
    h.emu.control.sfUpdate({ id: roles[1]!, fields: { ContactId: third } });
    h.advance();
    const report = await h.cycle();
    expect(stepOf(report, 'Pull Updates', 'Opportunity').updated).toBe(1);
    expect(stepOf(report, 'Pull Updates', 'Opportunity Contact Role').updated).toBe(1);
    expect(records('opportunity')[0]).toMatchObject({
      stage: 'Closed Won',
      isWon: true,
      externalCompanyId: other,
    });
    const leads = records('opportunityRole').map((r) => r.leadId);
    expect(leads.sort()).toEqual([personOf(contacts[0]!), personOf(third)].sort());
  });
});

describe('deletes', () => {
  it('deletes a role deleted on its own, then the opportunity with the rest', async () => {
    const { opportunity, roles } = deal();
    await h.cycle();
    h.advance();
    await h.cycle();
    h.advance();
    h.emu.control.sfDelete({ id: roles[0]! });
    h.advance();
    const first = await h.cycle();
    expect(stepOf(first, 'Pull Deletes', 'Opportunity Contact Role').deleted).toBe(1);
    expect(records('opportunityRole')).toHaveLength(1);
    h.emu.control.sfDelete({ id: opportunity });
    h.advance();
    const second = await h.cycle();
    expect(stepOf(second, 'Pull Deletes', 'Opportunity Contact Role').deleted).toBe(1);
    expect(stepOf(second, 'Pull Deletes', 'Opportunity').deleted).toBe(1);
    expect(records('opportunity')).toEqual([]);
    expect(records('opportunityRole')).toEqual([]);
  });
});

describe('bad input and faults', () => {
  it('queues a role whose contact is not in Marketo yet, and writes it once the contact is', async () => {
    deal();
    // The contact step's write fails (the client's retries too): the contacts are not in Marketo.
    h.emu.control.injectFault({
      side: 'marketo',
      kind: 'error',
      errorCode: '611',
      route: '/rest/v1/leads.json',
      method: 'POST',
      times: 2,
    });
    const first = await h.cycle();
    expect(stepOf(first, 'Pull Updates', 'Contact').status).toBe('Failed');
    const queued = stepOf(first, 'Pull Updates', 'Opportunity Contact Role');
    expect(queued.skipped).toBe(2);
    expect(records('opportunityRole')).toEqual([]);
    h.advance();
    const second = await h.cycle();
    expect(second.cycle?.status).toBe('Completed');
    expect(stepOf(second, 'Pull Updates', 'Opportunity Contact Role').new).toBe(2);
    expect(records('opportunityRole')).toHaveLength(2);
  });

  it("fails the opportunity step with the plain reason while Marketo's own CRM sync is on (1018), per record or per call", async () => {
    deal();
    h.emu.control.mkSetCrmSync({ enabled: true });
    const report = await h.cycle();
    const step = stepOf(report, 'Pull Updates', 'Opportunity');
    expect(step.status).toBe('Failed');
    expect(step.reason).toBe(MARKETO_CRM_SYNC_REASON);
    expect(stepOf(report, 'Sync Schema', 'Opportunity Contact Role').reason).toBe(MARKETO_CRM_SYNC_REASON);
    h.emu.control.mkSetCrmSync({ enabled: true, refusal: 'response' });
    h.advance();
    const again = await h.cycle();
    expect(stepOf(again, 'Pull Updates', 'User').reason).toBe(MARKETO_CRM_SYNC_REASON);
    h.emu.control.mkSetCrmSync({ enabled: false });
    h.advance();
    const after = await h.cycle();
    expect(after.cycle?.status, after.cycle?.error).toBe('Completed');
    expect(records('opportunity')).toHaveLength(1);
  });
});

describe('record panel', () => {
  it('shows an Opportunity and a User page from the log, and a Contact page its opportunity roles', async () => {
    const { contacts, opportunity, roles } = deal();
    await h.cycle();
    const panel = createRecordPanelService({
      db: h.db,
      settings: async () => h.settings,
      isAdmin: async () => true,
      timeZone: async () => 'UTC',
      pending: createPendingChecker({ db: h.db, clock: h.clock, salesforce: async () => h.salesforce }),
      syncing: () => undefined,
    });
    const opp = await panel({ objectType: 'Opportunity', recordId: opportunity });
    expect(opp).toMatchObject({
      state: 'synced',
      name: 'Acme expansion',
      operation: 'Pull Updates',
      cycleOnly: true,
      marketoKey: records('opportunity')[0]!.key,
    });
    const owner = String(h.emu.control.sfGet({ id: opportunity })?.OwnerId);
    expect(await panel({ objectType: 'User', recordId: owner })).toMatchObject({
      state: 'synced',
      cycleOnly: true,
    });
    const contact = await panel({ objectType: 'Contact', recordId: contacts[0]! });
    expect(contact).toMatchObject({
      opportunityRoles: [
        {
          roleId: roles[0],
          opportunityId: opportunity,
          opportunityName: 'Acme expansion',
          role: 'Decision Maker',
          primary: true,
        },
      ],
    });
    expect(contact).not.toHaveProperty('cycleOnly');
    // A role deleted in Salesforce leaves the contact's list once Marketo's copy is gone.
    h.advance();
    await h.cycle();
    h.emu.control.sfDelete({ id: roles[0]! });
    h.advance();
    await h.cycle();
    expect(await panel({ objectType: 'Contact', recordId: contacts[0]! })).not.toHaveProperty(
      'opportunityRoles',
    );
  });
});
