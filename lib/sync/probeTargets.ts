// What the change probe (changes.ts) asks about: each Salesforce object a Pull step of this cycle
// reads, in the order the probe gives them its five query slots (persons, accounts and campaigns
// first: their probes are exact; the later ones ask the replication feeds, docs/objects.md). A
// target is named like its cursors (`pull:<name>`, `deleted:<name>`); `AccountType` is the
// Account Type step's own view of Account (lib/sync/operations/objects/accountTypes.ts).
import type { SyncSettings } from '../settings/schema';

export const ACCOUNT_TYPE = 'AccountType';

const ORDER = [
  'Lead',
  'Contact',
  'Account',
  'Campaign',
  'CampaignMember',
  'Opportunity',
  'OpportunityContactRole',
  'User',
  // Pull Updates of Task and Event (issue 20, operations/activities/): changes and deletions.
  'Task',
  'Event',
] as const;

/** Steps' own views of an object, each with its own position (`pull:<view>`). */
const VIEWS: Record<string, string> = {
  [ACCOUNT_TYPE]: 'Account',
  // Update Activities' position on Task and Event (operations/activities/steps.ts).
  TaskActivity: 'Task',
  EventActivity: 'Event',
};

/** The Salesforce object a probe target reads. */
export const probeSobject = (target: string) => VIEWS[target] ?? target;

/** Account Type runs with Account and Opportunity: companies are what opportunities name (docs/objects.md). */
export function accountTypeEnabled(settings: SyncSettings): boolean {
  return !!settings.objects.Account?.enabled && !!settings.objects.Opportunity?.enabled;
}

export function probeTargets(settings: SyncSettings): string[] {
  const targets: string[] = ORDER.filter((o) => settings.objects[o]?.enabled);
  if (accountTypeEnabled(settings)) targets.push(ACCOUNT_TYPE);
  for (const o of ['Task', 'Event']) if (settings.objects[o]?.enabled) targets.push(`${o}Activity`);
  // Custom objects that sync (operations/objects/steps.ts customObjectNames).
  for (const [name, target] of Object.entries(settings.customObjects ?? {}))
    if (settings.objects[name]?.enabled && target.linkFields.length > 0) targets.push(name);
  return targets;
}
