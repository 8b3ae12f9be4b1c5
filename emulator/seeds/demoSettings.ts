// Sync settings for the `demo` org: the defaults plus the campaign ⇄ program pairs of the demo
// seed (demoCampaigns.ts), with both orgs' statuses as they are seeded, and the sales objects. scripts/demo-settings.json
// is this, exported (`npx tsx scripts/demo-settings.ts`); `npm run sync -- --settings` and the
// demo take it, so that a demo cycle runs every campaign step.
import type { ProgramPair, SyncSettings } from '../../lib/settings/schema';
import { defaultSettings } from '../../lib/settings/schema';
import type { MarketoStore } from '../marketo';
import type { SalesforceOrg } from '../salesforce/org';
import { DEMO_PAIRS } from './demoCampaigns';
import { withDemoEmailTemplates } from './demoEmailSettings';

export function demoSyncSettings(org: SalesforceOrg, marketo: MarketoStore): SyncSettings {
  const settings = defaultSettings();
  settings.objects.Campaign!.enabled = true;
  settings.objects.CampaignMember!.enabled = true;
  // Opportunities, their contact roles and users (sales persons) — and with Account and Opportunity,
  // account types (issue 19, docs/objects.md).
  for (const o of ['Opportunity', 'OpportunityContactRole', 'User'] as const)
    settings.objects[o]!.enabled = true;
  // Tasks and Events → Marketo activities (issue 20, docs/activities.md), the default types.
  for (const o of ['Task', 'Event'] as const) settings.objects[o]!.enabled = true;
  // Both custom objects, each to its Marketo custom object, linked through its person lookups.
  const pull = (salesforceField: string, marketoField: string) => ({
    salesforceField,
    marketoField,
    direction: 'pull' as const,
  });
  settings.objects.Subscription__c = {
    enabled: true,
    conflictWinner: 'salesforce',
    fields: [
      pull('Product__c', 'productName'),
      pull('Status__c', 'status'),
      pull('Start_Date__c', 'startDate'),
    ],
  };
  settings.objects.Event_Registration__c = {
    enabled: true,
    conflictWinner: 'salesforce',
    fields: [
      pull('Event_Name__c', 'eventName'),
      pull('Event_Date__c', 'eventDate'),
      pull('Attended__c', 'attended'),
    ],
  };
  settings.customObjects = {
    Subscription__c: { marketoObject: 'subscription_c', linkFields: ['Contact__c', 'Lead__c'] },
    Event_Registration__c: { marketoObject: 'eventRegistration_c', linkFields: ['Lead__c', 'Contact__c'] },
  };
  const campaigns = [...org.store.table('Campaign').records.values()];
  settings.programPairs = DEMO_PAIRS.flatMap((pair): ProgramPair[] => {
    const campaign = campaigns.find((c) => c.Name === pair.name && !c.IsDeleted);
    const program = marketo.programs.programs.get(pair.programId);
    if (!campaign || !program) return [];
    return [
      {
        campaignId: String(campaign.Id),
        campaignName: pair.name,
        programId: program.id,
        programName: program.name,
        direction: 'both',
        campaignStatuses: pair.statuses.map((s) => s.label),
        programStatuses: marketo.programs.statusesOf(program).map((s) => s.name),
        statusMap: [],
      },
    ];
  });
  withDemoEmailTemplates(settings, org, marketo);
  return settings;
}
