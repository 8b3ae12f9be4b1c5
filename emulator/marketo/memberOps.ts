// Program membership changes shared by the REST routes (programMembers.ts, leadPrograms.ts) and
// the control API (a Marketo user or flow step changing a status). Every change logs a "Change
// Status in Progression" activity (104), which is how a client sees membership changes in the
// activity feed. A removal is logged the same way, with New Status "Not in Program" (the step-0
// status every channel has, api-facts E2.6): our decision, written in docs/campaigns.md.
import { ACTIVITY } from './activityTypes';
import type { Program, ProgramMember, ProgressionStatus } from './programStore';
import type { MarketoStore } from './store';

export const NOT_IN_PROGRAM = 'Not in Program';
export const API_REASON = 'Changed by Web service API';

export type StatusChange =
  | { kind: 'created' | 'updated'; member: ProgramMember }
  | { kind: 'skipped'; code: string; message: string };

function logChange(
  store: MarketoStore,
  program: Program,
  leadId: number,
  oldStatus: string,
  status: { name: string; success: boolean },
  reason: string,
) {
  store.activities.append({
    leadId,
    date: store.now(),
    typeId: ACTIVITY.changeStatusInProgression,
    primaryAttributeValueId: program.id,
    primaryAttributeValue: program.name,
    attributes: [
      { name: 'New Status', value: status.name },
      { name: 'Old Status', value: oldStatus },
      { name: 'Reason', value: reason },
      { name: 'Success', value: status.success },
    ],
  });
}

/**
 * Sets a lead's status in a program, adding the member when absent. `forward` (the sync-status
 * endpoint) skips with 1037 when the member is already at or past that status; a user (control
 * API) and Change Lead Program Status may move a member back.
 */
export function changeMemberStatus(
  store: MarketoStore,
  program: Program,
  leadId: number,
  status: ProgressionStatus,
  options: { forward: boolean; reason: string; membersOnly?: boolean },
): StatusChange {
  if (!store.leads.get(leadId)) return { kind: 'skipped', code: '1004', message: 'Lead not found' };
  const statuses = store.programs.statusesOf(program);
  const members = store.programs.membersOf(program.id);
  const existing = members.get(leadId);
  if (!existing && options.membersOnly)
    return { kind: 'skipped', code: '1013', message: 'Membership not found' };
  const current = statuses.find((s) => s.name === existing?.statusName);
  if (
    existing &&
    current &&
    (current.name === status.name || (options.forward && current.step > status.step))
  ) {
    return {
      kind: 'skipped',
      code: '1037',
      message: 'Lead skipped because it is already in or past this status',
    };
  }
  const now = store.now();
  const member: ProgramMember = existing ?? {
    leadId,
    programId: program.id,
    statusName: status.name,
    reachedSuccess: false,
    acquiredBy: false,
    membershipDate: now,
    createdAt: now,
    updatedAt: now,
    data: {},
  };
  member.statusName = status.name;
  member.reachedSuccess = member.reachedSuccess || status.success;
  member.updatedAt = now;
  members.set(leadId, member);
  logChange(store, program, leadId, existing?.statusName ?? NOT_IN_PROGRAM, status, options.reason);
  return { kind: existing ? 'updated' : 'created', member };
}

/** Removes a member; false when the lead was not one. */
export function removeMember(store: MarketoStore, program: Program, leadId: number, reason: string): boolean {
  const members = store.programs.membersOf(program.id);
  const existing = members.get(leadId);
  if (!existing) return false;
  members.delete(leadId);
  logChange(store, program, leadId, existing.statusName, { name: NOT_IN_PROGRAM, success: false }, reason);
  return true;
}
