// Campaign members in the soak (issue 17): users add, move and remove members of one campaign ⇄
// program pair on either side, and the judge checks that both sides end up with the same members
// at statuses that map to each other. The pair is made by the first member action (a campaign
// statuses like program 1000's Webinar channel). Allowed differences, each one logged by the sync
// as Skipped with its reason: Marketo keeps a LATER status than Salesforce asks for (statuses only
// move forward through its API), and a member whose person is not in Marketo (excluded, failing,
// not synced yet) is queued.
import type { Emulator } from '../../emulator/index';
import { toId18 } from '../../lib/salesforce/ids';
import type { SyncSettings } from '../../lib/settings/schema';
import { marketoStatusOf, type Pair } from '../../lib/sync/operations/programs/pairs';
import { personsBySfId } from './actions';

export interface MemberAction {
  kind: 'member';
  side: 'salesforce' | 'marketo';
  record: number;
  status: number;
  remove: boolean;
}

const PROGRAM = 1000;
const WEBINAR = ['Not in Program', 'Invited', 'Registered', 'No Show', 'Attended', 'Attended On-demand'];
const SF_STATUSES = ['Sent', 'Responded', 'Invited', 'Registered', 'Attended'];

/** The soak's pair, made on first use. */
function ensurePair(emu: Emulator, settings: SyncSettings): Pair {
  const existing = settings.programPairs[0];
  if (existing) return { ...existing, campaignId: toId18(existing.campaignId) };
  const campaignId = emu.control.sfCreate({ object: 'Campaign', fields: { Name: 'Soak Webinar' } }).id;
  for (const Label of ['Invited', 'Registered', 'Attended'])
    emu.control.sfCreate({ object: 'CampaignMemberStatus', fields: { CampaignId: campaignId, Label } });
  settings.objects.Campaign!.enabled = true;
  settings.objects.CampaignMember!.enabled = true;
  settings.programPairs = [
    {
      campaignId,
      campaignName: 'Soak Webinar',
      programId: PROGRAM,
      programName: 'Spring Webinar 2026',
      direction: 'both',
      campaignStatuses: SF_STATUSES,
      programStatuses: WEBINAR,
      statusMap: [
        { salesforceStatus: 'Sent', marketoStatus: 'Invited' },
        { salesforceStatus: 'Responded', marketoStatus: 'Attended' },
      ],
    },
  ];
  return { ...settings.programPairs[0]!, campaignId };
}

/** Live leads and contacts that have a Marketo person, with it. */
function linkedPersons(emu: Emulator): { sfId: string; object: 'Lead' | 'Contact'; leadId: number }[] {
  const persons = personsBySfId(emu);
  const out: { sfId: string; object: 'Lead' | 'Contact'; leadId: number }[] = [];
  for (const object of ['Lead', 'Contact'] as const)
    for (const row of emu.salesforce.store.tables.get(object)?.records.values() ?? []) {
      if (row.IsDeleted || row.IsConverted) continue;
      const leadId = persons.get(String(row.Id))?.[0];
      if (leadId !== undefined) out.push({ sfId: String(row.Id), object, leadId });
    }
  return out;
}

function memberOf(emu: Emulator, campaignId: string, sfId: string) {
  for (const row of emu.salesforce.store.tables.get('CampaignMember')?.records.values() ?? [])
    if (!row.IsDeleted && row.CampaignId === campaignId && (row.LeadId === sfId || row.ContactId === sfId))
      return row;
  return undefined;
}

export function applyMemberAction(emu: Emulator, settings: SyncSettings, a: MemberAction): string {
  const pair = ensurePair(emu, settings);
  const persons = linkedPersons(emu);
  const person = persons[a.record % Math.max(1, persons.length)];
  if (!person) return 'member: no person';
  if (a.side === 'marketo') {
    if (a.remove) {
      emu.control.mkRemoveMember({ programId: PROGRAM, leadId: person.leadId });
      return `Marketo removes person ${person.leadId} from the program`;
    }
    const status = WEBINAR[1 + (a.status % (WEBINAR.length - 1))]!;
    emu.control.mkSetMemberStatus({ programId: PROGRAM, leadId: person.leadId, status });
    return `Marketo sets person ${person.leadId} to ${status}`;
  }
  const member = memberOf(emu, pair.campaignId, person.sfId);
  if (a.remove) {
    if (!member) return `member: ${person.sfId} is not a member`;
    emu.control.sfDelete({ id: String(member.Id) });
    return `Salesforce removes ${person.sfId} from the campaign`;
  }
  const Status = SF_STATUSES[a.status % SF_STATUSES.length]!;
  if (member) emu.control.sfUpdate({ id: String(member.Id), fields: { Status } });
  else
    emu.control.sfCreate({
      object: 'CampaignMember',
      fields: {
        CampaignId: pair.campaignId,
        [person.object === 'Lead' ? 'LeadId' : 'ContactId']: person.sfId,
        Status,
      },
    });
  return `Salesforce sets ${person.sfId} to ${Status}`;
}

/** Members whose two sides disagree beyond what is allowed (see the head of the file). */
export function judgeMembers(emu: Emulator, settings: SyncSettings): string[] {
  const stored = settings.programPairs[0];
  if (!stored) return [];
  const pair: Pair = { ...stored, campaignId: toId18(stored.campaignId) };
  const program = emu.marketo.store.programs.membersOf(PROGRAM);
  const drifted: string[] = [];
  for (const person of linkedPersons(emu)) {
    const sf = memberOf(emu, pair.campaignId, person.sfId)?.Status as string | undefined;
    const mk = program.get(person.leadId)?.statusName;
    const what = `member ${person.sfId} (person ${person.leadId}): Salesforce ${sf ?? '—'}, Marketo ${mk ?? '—'}`;
    if ((sf === undefined) !== (mk === undefined)) drifted.push(what);
    else if (sf !== undefined && mk !== undefined) {
      const wanted = marketoStatusOf(pair, sf);
      if (wanted !== mk && WEBINAR.indexOf(mk) <= WEBINAR.indexOf(wanted ?? '')) drifted.push(what);
    }
  }
  return drifted;
}
