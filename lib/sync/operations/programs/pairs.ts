// Campaign ⇄ program pairs as the engine sees them (settings programPairs, docs/campaigns.md):
// which pairs run, which are loaded ("linked": Init Link to Program finished their first load),
// how a status maps across, and the sync state a campaign member keeps.
import type { SyncState } from '../../../db/syncStateTypes';
import { toId18 } from '../../../salesforce/ids';
import { NOT_IN_PROGRAM, type ProgramPair, type SyncSettings } from '../../../settings/schema';
import type { CycleContext, StepContext } from '../../context';
import { readCursor } from '../../cursors';
import { hashText } from '../../hash';
import type { PlannedStep, PlanScope } from '../../plan';

export { NOT_IN_PROGRAM };

export const programCursorKeys = {
  /** Init Link to Program loaded this campaign's pair; the value is the program id it loaded. */
  link: (campaignId: string) => `link:${campaignId}`,
  /** Campaign members Pull Updates could not write yet because their person is not in Marketo (JSON ids). */
  queue: 'queue:CampaignMember',
  /** Sync to Program's place in Marketo's activity feed (Change Status in Progression). */
  feed: 'push:programs',
};

/** Marketo's "Change Status in Progression" activity: every membership change, removals included. */
export const CHANGE_PROGRAM_STATUS = 104;

/** A pair with its campaign id in the 18-character form Salesforce answers with. */
export type Pair = ProgramPair & { campaignId: string };

/** The configured pairs, when the Campaign object is enabled. */
export function configuredPairs(settings: SyncSettings): Pair[] {
  if (!settings.objects.Campaign?.enabled) return [];
  return settings.programPairs.map((pair) => ({ ...pair, campaignId: toId18(pair.campaignId) }));
}

/** The pair of a one-record cycle's campaign (Sync now on a Campaign page), when it is in one. */
export function recordPair(scope: Pick<PlanScope, 'settings' | 'record'>): Pair | undefined {
  const { record } = scope;
  if (record?.sobject !== 'Campaign') return undefined;
  const id = toId18(record.id);
  return configuredPairs(scope.settings).find((p) => p.campaignId === id);
}

/**
 * A campaign ⇄ program module's steps: `steps(whole cycle scope)` when pairs are configured; in a
 * one-record cycle only when the record is a campaign in a pair (its Sync now: the pair alone).
 */
export function pairSteps(scope: PlanScope, steps: (whole: PlanScope) => PlannedStep[]): PlannedStep[] {
  if (configuredPairs(scope.settings).length === 0) return [];
  if (scope.record && !recordPair(scope)) return [];
  return steps({ settings: scope.settings });
}

/** The pairs this cycle works on: every configured pair, or in a pair's Sync now that pair alone. */
export function cyclePairs(ctx: CycleContext): Pair[] {
  if (!ctx.record) return configuredPairs(ctx.settings);
  const pair = recordPair(ctx);
  return pair ? [pair] : [];
}

/** The pairs (of this cycle, cyclePairs) Init Link to Program has loaded for their current program. */
export async function linkedPairs(ctx: StepContext): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (const pair of cyclePairs(ctx)) {
    if ((await readCursor(ctx.db, programCursorKeys.link(pair.campaignId))) === String(pair.programId))
      pairs.push(pair);
  }
  return pairs;
}

export const toProgram = (pair: Pair) => pair.direction !== 'toCampaign';
export const toCampaign = (pair: Pair) => pair.direction !== 'toProgram';

/** The program status for a campaign member status: the admin's mapping, else the same label. */
export function marketoStatusOf(pair: Pair, salesforceStatus: string): string | undefined {
  const mapped = pair.statusMap.find((m) => m.salesforceStatus === salesforceStatus);
  if (mapped) return mapped.marketoStatus;
  return pair.programStatuses.includes(salesforceStatus) && salesforceStatus !== NOT_IN_PROGRAM
    ? salesforceStatus
    : undefined;
}

/**
 * The campaign member status for a program status (`labels`: the campaign's live statuses): the
 * same label when it maps back to this program status (a round trip changes nothing), else the
 * first status mapped to it. Undefined: the campaign has none.
 */
export function salesforceStatusOf(pair: Pair, marketoStatus: string, labels: readonly string[]) {
  if (labels.includes(marketoStatus) && marketoStatusOf(pair, marketoStatus) === marketoStatus)
    return marketoStatus;
  return pair.statusMap.find((m) => m.marketoStatus === marketoStatus && labels.includes(m.salesforceStatus))
    ?.salesforceStatus;
}

/**
 * A member's sync state: the program status both sides agreed on (hashed like every synced value),
 * and the program and Marketo person it was written to. Those two are Marketo ids kept as text under
 * keys no Salesforce field can have ('@…'): the deletion of a member (Pull Deletes) has nothing
 * else to find them by. `marketoId` stays unset: it is the person link, indexed for persons only.
 */
export function memberState(programId: number, leadId: number, marketoStatus: string): SyncState {
  return {
    sobject: 'CampaignMember',
    hashes: { Status: hashText(marketoStatus), '@program': String(programId), '@lead': String(leadId) },
  };
}

/**
 * The same agreement keyed by program and Marketo person (`program:<id>:<leadId>`): Sync to Program
 * reads Marketo's feed, which names persons, not campaign members, and finds its own writes coming
 * back with this key alone — no query to learn which campaign member the person is.
 */
export const programMemberKey = (programId: number, leadId: number) => `program:${programId}:${leadId}`;

/** Records a member's agreed status (null: no longer a member) under both keys. */
export function putMemberState(
  states: Map<string, SyncState | null>,
  memberId: string | undefined,
  programId: number,
  leadId: number,
  marketoStatus: string | null,
) {
  if (memberId)
    states.set(memberId, marketoStatus === null ? null : memberState(programId, leadId, marketoStatus));
  states.set(
    programMemberKey(programId, leadId),
    marketoStatus === null ? null : { sobject: 'ProgramMember', hashes: { Status: hashText(marketoStatus) } },
  );
}

export function memberTarget(
  state: SyncState | undefined,
): { programId: number; leadId: number } | undefined {
  const programId = Number(state?.hashes['@program']);
  const leadId = Number(state?.hashes['@lead']);
  return Number.isInteger(programId) && Number.isInteger(leadId) && programId > 0 && leadId > 0
    ? { programId, leadId }
    : undefined;
}

/** Whether the state says both sides already agree on this member being at `marketoStatus`. */
export function agreed(
  state: SyncState | undefined,
  programId: number,
  leadId: number,
  marketoStatus: string,
) {
  return (
    state?.hashes.Status === hashText(marketoStatus) &&
    state.hashes['@program'] === String(programId) &&
    state.hashes['@lead'] === String(leadId)
  );
}

/** A SOQL list of quoted ids. */
export function idList(ids: readonly string[]): string {
  return ids.map((id) => `'${id}'`).join(',');
}
