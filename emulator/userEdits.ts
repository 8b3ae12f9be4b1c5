import type { Emulator } from './index';
import { mulberry32 } from './rng';
import { sfClient } from './testing';
import { dealEdits } from './userEditsDeals';
import { simulateEmailEdits } from './userEmailEdits';

const TITLES = ['VP Marketing', 'Head of Growth', 'CMO', 'Marketing Ops Manager', 'Demand Gen Lead', 'CTO'];

/**
 * Edits a few records on both sides the way users would (a lead's title in Salesforce, a person's
 * title and sometimes a two-letter state in Marketo), so that the demo's later cycles have work,
 * including the validation-rule failures real orgs see. Deterministic for a given round.
 */
export async function simulateUserEdits(emulator: Emulator, round: number, count = 5): Promise<number> {
  const rng = mulberry32(1000 + round);
  const pick = <T>(items: T[]): T[] =>
    Array.from({ length: Math.min(count, items.length) }, () => items[Math.floor(rng() * items.length)]!);
  const leads = await sfClient(emulator.info).query<{ records: { Id: string }[] }>(
    'SELECT Id FROM Lead WHERE IsConverted = false LIMIT 500',
  );
  let edits = 0;
  for (const lead of pick(leads.body.records ?? [])) {
    emulator.control.sfUpdate({ id: lead.Id, fields: { Title: TITLES[Math.floor(rng() * TITLES.length)] } });
    edits++;
  }
  edits += simulateEmailEdits(emulator, round);
  const persons = pick([...emulator.marketo.store.leads.byId.keys()]);
  for (const [i, id] of persons.entries()) {
    // One marketer in five types a two-letter state: the org's validation rule refuses it when
    // the sync pushes it to Salesforce, which is the most common sync error admins see.
    const fields: Record<string, unknown> = { title: TITLES[Math.floor(rng() * TITLES.length)] };
    if (i % 5 === 0) fields.state = 'CA';
    emulator.marketo.control.updateLead(id, fields);
    edits++;
  }
  // A new lead typed into Salesforce, and a form filled out on the website by a known person:
  // the next cycle's Pull Updates and Push New have new records to create.
  const visitorLead = emulator.control.sfCreate({
    object: 'Lead',
    fields: {
      FirstName: 'Demo',
      LastName: `Visitor ${round}`,
      Company: 'Globex',
      Email: `demo.visitor${round}@globex.example.com`,
      State: 'Texas',
    },
  }).id;
  const [visitor] = persons;
  if (visitor !== undefined) {
    emulator.marketo.control.logActivity({
      leadId: visitor,
      typeId: 2,
      primaryAttributeValueId: 1001,
      primaryAttributeValue: 'Contact Us',
    });
  }
  edits += dealEdits(emulator, round); // opportunities, roles, users, account types, custom objects
  return edits + 2 + (await campaignEdits(emulator, visitorLead, round));
}

/**
 * Campaign work for the demo pairs (emulator/seeds/demoCampaigns.ts): the new lead registers for
 * the webinar campaign in Salesforce, a webinar member moves on in Salesforce, and a newsletter
 * member engages in Marketo. Returns the number of edits (none when the demo campaigns are absent).
 */
async function campaignEdits(emulator: Emulator, newLead: string, round: number): Promise<number> {
  const campaigns = await sfClient(emulator.info).query<{ records: { Id: string }[] }>(
    "SELECT Id FROM Campaign WHERE Name = 'Spring Webinar 2026'",
  );
  const webinar = campaigns.body.records?.[0]?.Id;
  if (!webinar) return 0;
  emulator.control.sfCreate({
    object: 'CampaignMember',
    fields: { CampaignId: webinar, LeadId: newLead, Status: 'Registered' },
  });
  const invited = await sfClient(emulator.info).query<{ records: { Id: string }[] }>(
    `SELECT Id FROM CampaignMember WHERE CampaignId = '${webinar}' AND Status = 'Invited' LIMIT ${round}`,
  );
  const member = invited.body.records?.at(-1);
  if (member) emulator.control.sfUpdate({ id: member.Id, fields: { Status: 'Attended' } });
  const newsletter = emulator.marketo.store.programs.membersOf(1001);
  const waiting = [...newsletter.values()].filter((m) => m.statusName === 'Member');
  const engaged = waiting[round % Math.max(1, waiting.length)];
  if (engaged) emulator.marketo.control.setMemberStatus(1001, engaged.leadId, 'Engaged');
  return 1 + (member ? 1 : 0) + (engaged ? 1 : 0);
}
