// Deterministic Marketo persons linked to seeded Salesforce Leads/Contacts (api-facts B10), plus
// some recent web/email activity so "Push New" (activities → Salesforce Tasks) has data. Each
// person costs O(1); activities are appended in one sorted batch, so 100,000 persons take well
// under a second or two.
import type { NewActivity } from './activityLog';
import { ACTIVITY } from './activityTypes';
import type { Lead, LeadValue } from './leadStore';
import type { MarketoStore } from './store';

export interface SeedPerson {
  sfId: string;
  sfType: 'Lead' | 'Contact';
  sfAccountId?: string;
  email: string;
  firstName: string;
  lastName: string;
  company?: string;
  title?: string;
  phone?: string;
  state?: string;
  leadScore?: number;
}

const DAY_MS = 24 * 3_600_000;
const PAGES = [
  { id: 71, url: '/pricing' },
  { id: 72, url: '/product/sync' },
  { id: 73, url: '/blog/salesforce-marketo-sync' },
  { id: 74, url: '/contact' },
];
const FORMS = [
  { id: 1001, name: 'Contact Us Form' },
  { id: 1002, name: 'Demo Request' },
  { id: 1003, name: 'Whitepaper Download' },
];
const MAILINGS = [
  { id: 2001, name: 'Newsletter - March.Email' },
  { id: 2002, name: 'Webinar Invite.Email' },
];
const AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

function pick<T>(items: readonly T[], rng: () => number): T {
  return items[Math.floor(rng() * items.length) % items.length]!;
}

function ip(rng: () => number): string {
  return `10.${Math.floor(rng() * 255)}.${Math.floor(rng() * 255)}.${1 + Math.floor(rng() * 254)}`;
}

function engagement(leadId: number, date: number, rng: () => number): NewActivity {
  const kind = Math.floor(rng() * 4);
  if (kind === 0) {
    const page = pick(PAGES, rng);
    return {
      leadId,
      date,
      typeId: ACTIVITY.visitWebpage,
      primaryAttributeValueId: page.id,
      primaryAttributeValue: `www.example.com${page.url}`,
      attributes: [
        { name: 'Client IP Address', value: ip(rng) },
        { name: 'Query Parameters', value: '' },
        { name: 'Referrer URL', value: 'https://www.google.com/' },
        { name: 'User Agent', value: AGENT },
        { name: 'Webpage URL', value: page.url },
      ],
    };
  }
  if (kind === 1) {
    const form = pick(FORMS, rng);
    return {
      leadId,
      date,
      typeId: ACTIVITY.fillOutForm,
      primaryAttributeValueId: form.id,
      primaryAttributeValue: form.name,
      attributes: [
        { name: 'Client IP Address', value: ip(rng) },
        { name: 'Form Fields', value: 'a:2:{s:5:"Email";s:0:"";s:9:"FirstName";s:0:"";}' },
        { name: 'Query Parameters', value: '' },
        { name: 'Referrer URL', value: '' },
        { name: 'User Agent', value: AGENT },
        { name: 'Webpage ID', value: pick(PAGES, rng).id },
      ],
    };
  }
  const mailing = pick(MAILINGS, rng);
  const click = kind === 3;
  return {
    leadId,
    date,
    typeId: click ? ACTIVITY.clickEmail : ACTIVITY.openEmail,
    primaryAttributeValueId: mailing.id,
    primaryAttributeValue: mailing.name,
    campaignId: 5000 + mailing.id,
    attributes: [
      { name: 'Campaign Run ID', value: 1 },
      { name: 'Choice Number', value: 0 },
      { name: 'Step ID', value: 1 },
      { name: 'Device', value: 'unknown' },
      { name: 'Is Mobile Device', value: false },
      ...(click
        ? [
            { name: 'Link', value: 'https://www.example.com/pricing' },
            { name: 'Link ID', value: 'pricing' },
          ]
        : []),
      { name: 'Platform', value: 'Windows' },
    ],
  };
}

function personValues(person: SeedPerson): Record<string, LeadValue> {
  const values: Record<string, LeadValue> = {
    email: person.email,
    firstName: person.firstName,
    lastName: person.lastName,
    sfdcType: person.sfType,
    sfdcId: person.sfId,
    sfdcTypeCustom: person.sfType,
    leadSource: 'Salesforce',
  };
  if (person.sfType === 'Lead') {
    values.sfdcLeadId = person.sfId;
    values.sfdcLeadIdCustom = person.sfId;
  } else {
    values.sfdcContactId = person.sfId;
    values.sfdcContactIdCustom = person.sfId;
  }
  if (person.sfAccountId) {
    values.sfdcAccountId = person.sfAccountId;
    values.sfdcAccountIdCustom = person.sfAccountId;
  }
  const optional = { company: person.company, title: person.title, phone: person.phone, state: person.state };
  for (const [name, value] of Object.entries(optional)) if (value) values[name] = value;
  if (person.leadScore !== undefined) values.leadScore = person.leadScore;
  return values;
}

/**
 * Creates one Marketo person per seed person (linked through the sfdc* fields and, for instances
 * where those are CRM-managed, the *Custom mirror fields) and returns their ids in order.
 */
export function seedMarketo(store: MarketoStore, persons: SeedPerson[], rng: () => number): number[] {
  const now = store.now();
  const ids: number[] = [];
  const activities: NewActivity[] = [];
  for (const person of persons) {
    const createdAt = now - Math.floor(((30 + rng() * 335) * DAY_MS) / 1000) * 1000;
    const updatedAt = createdAt + Math.floor((rng() * (now - DAY_MS - createdAt)) / 1000) * 1000;
    const lead: Lead = { id: store.leads.allocateId(), createdAt, updatedAt, values: personValues(person) };
    store.leads.insert(lead);
    ids.push(lead.id);
    activities.push({
      leadId: lead.id,
      date: createdAt,
      typeId: ACTIVITY.newLead,
      attributes: [
        { name: 'Source Type', value: 'Salesforce.com' },
        { name: 'SFDC Type', value: person.sfType },
      ],
    });
    // About a third of the persons engaged recently: 1–3 web or email activities in the last week.
    if (rng() < 0.3) {
      const count = 1 + Math.floor(rng() * 3);
      for (let i = 0; i < count; i++) {
        const date = now - Math.floor((rng() * 7 * DAY_MS) / 1000) * 1000 - 1000;
        activities.push(engagement(lead.id, date, rng));
      }
    }
  }
  store.activities.appendMany(activities);
  return ids;
}
