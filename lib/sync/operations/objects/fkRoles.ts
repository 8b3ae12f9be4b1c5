// Update FKs Opportunity Contact Role (fkStep.ts): a role's Marketo person is its contact's; when a
// contact's person changes without the role changing (a lead converted into the contact handed the
// contact its person, persons merged), the roles written for the old person are read again and
// written (roles.ts moves a role whose key changed: the new one is written, the old one deleted).
// The log is scanned only when that can have happened: this cycle's Pull Conversions relinked
// persons, the step resumes, or the cycle was started by hand. Nothing to move costs no call.
import { allStates, loadStates } from '../../../db/syncState';
import type { StepContext } from '../../context';
import { chunks } from '../common';
import { pullObjectRows } from './objectPull';
import { rolePull } from './roles';

async function personsRelinked(ctx: StepContext): Promise<boolean> {
  if (ctx.resume || ctx.notes.trigger === 'manual') return true;
  const steps = await ctx.db.steps.where('cycleId').equals(ctx.cycleId).toArray();
  return steps.some((s) => s.operation === 'Pull Conversions' && s.updated > 0);
}

export async function relinkRoles(ctx: StepContext): Promise<void> {
  if (!(await personsRelinked(ctx))) return;
  const stale: string[] = [];
  for await (const page of allStates(ctx.db, 'OpportunityContactRole', 100)) {
    const contacts = await loadStates(
      ctx.db,
      page.map(([, s]) => s.hashes['@contact'] ?? ''),
    );
    for (const [id, state] of page) {
      const person = contacts.get(state.hashes['@contact'] ?? '')?.marketoId;
      if (state.hashes['@guid'] && person !== undefined && String(person) !== state.hashes['@lead'])
        stale.push(id);
    }
  }
  const spec = rolePull(ctx);
  for (const ids of chunks(stale, 200)) await pullObjectRows(ctx, spec, ids);
}
