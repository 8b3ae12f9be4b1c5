// Salesforce campaign members → Marketo program members (Pull Updates Campaign Member and Init Link
// to Program). A member is written as its person's membership of the pair's program, at the program
// status its campaign status maps to (pairs.ts), with one "sync program status" call per program
// and status, 300 members at a time. What cannot be written yet is said per member:
// - its person is excluded by the sync filter (memberRows.ts): Excluded and queued, so that it is
//   written once the person is no longer excluded;
// - its person is not in Marketo yet (not synced, failing): Skipped and queued; Pull Updates picks
//   it up again when persons change (design issue 17: queued, not failed);
// - its status maps to no program status, or the program is gone: Failed, with what to do;
// - Marketo already has it at a later status: Skipped — the API only moves statuses forward (1037).
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';
import type { PackedOutcome, RecordError } from '../../../db/types';
import { MARKETO_BATCH, MarketoApiError } from '../../../marketo';
import type { StepContext } from '../../context';
import { chunks, marketoError } from '../common';
import { exclusionOf, type MemberRow, personOf } from './memberRows';
import { agreed, marketoStatusOf, type Pair, putMemberState, toProgram } from './pairs';

export interface MembersWritten {
  outcomes: PackedOutcome[];
  states: Map<string, SyncState | null>;
  /** Members whose person is not in Marketo yet, or excluded. */
  queued: string[];
}

export function queuedReason(row: MemberRow): string {
  const kind = row.ContactId ? 'contact' : 'lead';
  return `Queued: its ${kind} is not in Marketo yet; the membership is written once the ${kind} is synced`;
}

function programError(error: MarketoApiError, pair: Pair, status: string): RecordError | undefined {
  const program = pair.programName || `program ${pair.programId}`;
  if (error.code === '1025')
    return {
      code: 'MARKETO_1025',
      message: `${program} has no status "${status}" (its channel changed?): fix the status mapping in Options → Campaigns ⇄ Programs`,
      fields: ['Status'],
    };
  if (error.code === '1013')
    return {
      code: 'MARKETO_1013',
      message: `${program} was not found in Marketo (deleted?): link the campaign to another program in Options`,
      fields: [],
    };
  return undefined;
}

/**
 * Writes `rows` (at most a few hundred) to their pairs' programs; `created` is the outcome of a new
 * membership. `quiet`: members read again behind the pull's position (its lookback window), which
 * need no outcome when both sides agree on them already (they were handled when first read).
 */
export async function writeMembers(
  ctx: StepContext,
  rows: readonly MemberRow[],
  pairs: ReadonlyMap<string, Pair>,
  created: 'new' | 'updated',
  quiet: ReadonlySet<string> = new Set(),
): Promise<MembersWritten> {
  const out: MembersWritten = { outcomes: [], states: new Map(), queued: [] };
  const persons = await loadStates(
    ctx.db,
    rows.flatMap((r) => personOf(r) ?? []),
  );
  const members = await loadStates(
    ctx.db,
    rows.map((r) => r.Id),
  );
  const groups = new Map<
    string,
    { pair: Pair; status: string; items: { row: MemberRow; leadId: number }[] }
  >();
  for (const row of rows) {
    const pair = pairs.get(row.CampaignId);
    if (!pair || !toProgram(pair)) {
      out.outcomes.push({
        sfId: row.Id,
        outcome: 'skipped',
        reason: 'its campaign syncs Marketo → Salesforce only',
      });
      continue;
    }
    const person = personOf(row);
    const personState = person ? persons.get(person) : undefined;
    const leadId = personState?.marketoId;
    const status = marketoStatusOf(pair, row.Status ?? '');
    if (leadId !== undefined && status && agreed(members.get(row.Id), pair.programId, leadId, status)) {
      if (!quiet.has(row.Id)) out.outcomes.push({ sfId: row.Id, mktoId: leadId, outcome: 'skipped' });
      continue;
    }
    const sobject = row.ContactId ? 'Contact' : 'Lead';
    const excluded = exclusionOf(ctx, row, { sobject, state: personState });
    if (excluded) {
      out.queued.push(row.Id);
      out.outcomes.push({
        sfId: row.Id,
        ...(leadId !== undefined && { mktoId: leadId }),
        outcome: 'excluded',
        reason: excluded,
      });
      continue;
    }
    if (leadId === undefined) {
      out.queued.push(row.Id);
      out.outcomes.push({ sfId: row.Id, outcome: 'skipped', reason: queuedReason(row) });
      continue;
    }
    if (!status) {
      out.outcomes.push({
        sfId: row.Id,
        mktoId: leadId,
        outcome: 'failed',
        error: {
          code: 'STATUS_NOT_MAPPED',
          message: `Member status "${row.Status}" has no status in ${pair.programName || `program ${pair.programId}`}: map it in Options → Campaigns ⇄ Programs`,
          fields: ['Status'],
        },
      });
      continue;
    }
    const key = `${pair.programId}|${status}`;
    if (!groups.has(key)) groups.set(key, { pair, status, items: [] });
    groups.get(key)!.items.push({ row, leadId });
  }
  for (const { pair, status, items } of groups.values()) {
    for (const batch of chunks(items, MARKETO_BATCH)) {
      ctx.budget.check();
      let results: Awaited<ReturnType<typeof ctx.marketo.programs.setMemberStatus>>;
      try {
        results = await ctx.marketo.programs.setMemberStatus(
          pair.programId,
          status,
          batch.map((i) => i.leadId),
        );
      } catch (error) {
        const failure = error instanceof MarketoApiError ? programError(error, pair, status) : undefined;
        if (!failure) throw error;
        for (const { row, leadId } of batch)
          out.outcomes.push({ sfId: row.Id, mktoId: leadId, outcome: 'failed', error: failure });
        continue;
      }
      // 1037 means "already at or past it": which one, the program says (one read, only when asked) —
      // a write whose answer was lost and is sent again gets 1037 for what it did itself.
      const skipped = batch.filter((_, i) => results[i]!.reasons[0]?.code === '1037').map((b) => b.leadId);
      const current = skipped.length ? await currentStatuses(ctx, pair.programId, skipped) : new Map();
      batch.forEach(({ row, leadId }, i) => {
        const result = results[i]!;
        const change = [{ field: 'Status', old: null, new: status }];
        if (result.status === 'created' || result.status === 'updated') {
          out.outcomes.push({
            sfId: row.Id,
            mktoId: leadId,
            outcome: result.status === 'created' ? created : 'updated',
            changes: change,
          });
          putMemberState(out.states, row.Id, pair.programId, leadId, status);
        } else if (result.reasons[0]?.code === '1037' && current.get(leadId) === status) {
          out.outcomes.push({ sfId: row.Id, mktoId: leadId, outcome: 'skipped' });
          putMemberState(out.states, row.Id, pair.programId, leadId, status);
        } else if (result.reasons[0]?.code === '1037') {
          out.outcomes.push({
            sfId: row.Id,
            mktoId: leadId,
            outcome: 'skipped',
            reason: `Marketo already has this person at "${status}" or a later status; the API moves program statuses only forward`,
          });
        } else {
          out.outcomes.push({ sfId: row.Id, mktoId: leadId, outcome: 'failed', error: marketoError(result) });
        }
      });
    }
  }
  return out;
}

/** The program statuses of these persons now (absent: not a member). */
export async function currentStatuses(
  ctx: StepContext,
  programId: number,
  leadIds: readonly number[],
): Promise<Map<number, string>> {
  const now = new Map<number, string>();
  ctx.budget.check();
  for await (const page of ctx.marketo.programs.members(programId, {
    filterType: 'leadId',
    filterValues: leadIds,
    fields: ['leadId', 'statusName'],
  }))
    for (const member of page) if (member.statusName) now.set(member.leadId, member.statusName);
  return now;
}
