// Reconcile (design §10): proof that both sides agree. The other operations only ever see changes
// (SystemModstamp, the Marketo activity feed); a value changed behind the sync's back — a data fix
// below the API, a feed entry lost, a write our log never committed — stays different for ever.
// Reconcile reads every linked record of the object on both sides in the APIs' largest pages
// (Salesforce: the whole object in Id order, 2,000 rows per queryMore page; Marketo: the linked
// persons by id, 300 per call), hashes each record's mapped fields on each side in one form (the
// Marketo form, as the sync state does), and compares the two hashes. A record whose sides differ
// and that owes no failed write is `drifted`: its sync state is corrected to what each side really
// holds, and it is queued for the next Pull Updates / Push Updates (reconcileRepair.ts), which then
// see a difference and write it, in the direction of the field and the object's conflict winner.
// Records that agree but whose stored hashes are stale get the agreed hashes (else a later change
// back to the stale value would look like "no change"). Contacts also compare their account's
// fields (Account.* through the relationship), repaired by the contact's pull.
import { loadStatesSpan } from '../../db/syncStateSpan';
import type { SyncStateEntry } from '../../db/syncStateTypes';
import type { FieldChange, PackedOutcome } from '../../db/types';
import type { MarketoLead } from '../../marketo';
import { MARKETO_BATCH } from '../../marketo';
import type { StepContext } from '../context';
import { valueHash } from '../hash';
import { type MappedField, toMarketoValue } from '../mapping';
import type { OperationModule } from '../plan';
import {
  dailyCaps,
  RECONCILED_OBJECTS,
  ReconcileShareSpentError,
  readSpent,
  reconcileDueFor,
  reconcileKeys,
  type SpentToday,
  shareSpentReason,
} from '../reconcileSchedule';
import { nameOf, readAhead, stepsFor } from './common';
import type { PullRow } from './pullBatch';
import { pullSetup } from './pullUpdates';

/** One compared field and which way a disagreement is repaired. */
interface Compared {
  field: MappedField;
  /** pull: Salesforce → Marketo; push: Marketo → Salesforce; account: the contact's account field. */
  repair: 'pull' | 'push' | 'account';
}

interface Linked {
  row: PullRow;
  entry: SyncStateEntry;
}

interface Progress {
  /** The last Salesforce Id compared (Ids are read in order). */
  after: string;
  startedAt: number;
}

export const reconcile: OperationModule = {
  operation: 'Reconcile',
  steps: (scope) =>
    scope.reconcile && !scope.record ? stepsFor('Reconcile', scope, RECONCILED_OBJECTS) : [],
  async run(ctx) {
    const { sobject } = ctx.step;
    const forced = ctx.notes.reconcile === 'now';
    if (!forced && !(await reconcileDueFor(ctx.db, ctx.settings, sobject, ctx.clock.now()))) return;
    await new ReconcileRun(ctx, await comparedFields(ctx)).run();
  },
};

async function comparedFields(ctx: StepContext) {
  const setup = await pullSetup(ctx);
  const winner = ctx.settings.objects[ctx.step.sobject]?.conflictWinner ?? 'salesforce';
  const bySf = new Map<string, Compared>();
  for (const field of setup.mapping.pull) bySf.set(field.sf, { field, repair: 'pull' });
  for (const field of setup.mapping.push) {
    const pulled = bySf.get(field.sf);
    // A field synced both ways is repaired from the side that wins conflicts.
    if (!pulled) bySf.set(field.sf, { field, repair: 'push' });
    else if (winner === 'marketo') pulled.repair = 'push';
  }
  const own = [...bySf.values()];
  const taken = new Set(own.map((c) => c.field.mk));
  const account = setup.accountFields
    .filter((field) => !taken.has(field.mk))
    .map((field): Compared => ({ field, repair: 'account' }));
  return { compared: [...own, ...account], filterField: setup.filterField };
}

class ReconcileRun {
  private readonly sobject: string;
  private readonly compared: Compared[];
  private readonly queue: Linked[] = [];
  private spentAtStart: SpentToday = { day: 0, salesforce: 0, marketo: 0 };
  private readonly callsAtStart: { salesforce: number; marketo: number };
  private progress: Progress = { after: '', startedAt: 0 };
  private failing = new Set<string>();
  private pullQueue = new Set<string>();
  private pushQueue = new Set<number>();
  private readonly tally = {
    compared: 0,
    drifted: 0,
    owed: 0,
    corrected: 0,
    salesforceSide: 0,
    marketoSide: 0,
  };

  constructor(
    private readonly ctx: StepContext,
    private readonly setup: { compared: Compared[]; filterField: string | null },
  ) {
    this.sobject = ctx.step.sobject;
    this.compared = setup.compared;
    this.callsAtStart = ctx.budget.spentCalls();
  }

  async run(): Promise<void> {
    const { ctx, sobject } = this;
    const now = ctx.clock.now();
    const [progress, spent, failing, pull, push] = await Promise.all([
      ctx.db.cursors.get(reconcileKeys.progress(sobject)),
      readSpent(ctx.db, now),
      ctx.db.records.where('state').equals('failed').primaryKeys(),
      ctx.db.cursors.get(reconcileKeys.repairPull(sobject)),
      ctx.db.cursors.get(reconcileKeys.repairPush),
    ]);
    this.progress = progress ? (JSON.parse(progress.value) as Progress) : { after: '', startedAt: now };
    this.spentAtStart = spent;
    this.failing = new Set(failing);
    this.pullQueue = new Set(pull ? (JSON.parse(pull.value) as string[]) : []);
    this.pushQueue = new Set(push ? (JSON.parse(push.value) as number[]) : []);

    for await (const page of readAhead(ctx.salesforce.query(this.soql()), () => this.check())) {
      await this.add(page.records as PullRow[]);
    }
    while (this.queue.length) await this.compareBatch();
    await ctx.commit({
      outcomes: [],
      extraCursors: [
        { key: reconcileKeys.progress(sobject), value: null },
        { key: reconcileKeys.lastRun(sobject), value: String(this.progress.startedAt) },
        this.spentCursor(),
      ],
    });
    const calls = this.callsNow();
    const t = this.tally;
    ctx.log(
      `Reconcile ${sobject}: compared ${t.compared}, drifted ${t.drifted} (Salesforce side changed ${t.salesforceSide}, ` +
        `Marketo side ${t.marketoSide}), not counted for a pending failure ${t.owed}, stale sync states corrected ` +
        `${t.corrected}; API calls: Salesforce ${calls.salesforce}, Marketo ${calls.marketo}`,
    );
  }

  /** Every row of the object that the sync may link, in Id order from where a stopped check got to. */
  private soql(): string {
    const fields = new Set(['Id', 'FirstName', 'LastName']);
    for (const c of this.compared) fields.add(c.repair === 'account' ? `Account.${c.field.sf}` : c.field.sf);
    if (this.compared.some((c) => c.repair === 'account')) fields.add('AccountId');
    const where: string[] = [];
    if (this.progress.after) where.push(`Id > '${this.progress.after}'`);
    // Converted leads belong to their contact, excluded records are not synced: neither is compared.
    if (this.sobject === 'Lead') where.push('IsConverted = false');
    if (this.setup.filterField) where.push(`${this.setup.filterField} = false`);
    const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    return `SELECT ${[...fields].join(', ')} FROM ${this.sobject}${clause} ORDER BY Id`;
  }

  private async add(rows: PullRow[]): Promise<void> {
    const states = await loadStatesSpan(
      this.ctx.db,
      rows.map((r) => r.Id),
    );
    for (const row of rows) {
      const entry = states.get(row.Id);
      if (entry?.m === undefined || entry.x || entry.c || entry.o !== this.sobject) continue;
      this.queue.push({ row, entry });
    }
    // Marketo is read 300 persons per call across page ends: ceil(linked / 300) calls in all.
    while (this.queue.length >= MARKETO_BATCH) await this.compareBatch();
  }

  private async compareBatch(): Promise<void> {
    const { ctx } = this;
    const batch = this.queue.splice(0, MARKETO_BATCH);
    this.check();
    const leads = await ctx.marketo.leads.getByFilter({
      filterType: 'id',
      filterValues: batch.map((l) => l.entry.m!),
      fields: [...new Set(this.compared.map((c) => c.field.mk))],
    });
    const byId = new Map(leads.map((lead) => [lead.id, lead]));
    const outcomes: PackedOutcome[] = [];
    const states = new Map<string, SyncStateEntry | null>();
    for (const linked of batch) {
      const { outcome, state } = this.compareOne(linked, byId.get(linked.entry.m!));
      outcomes.push(outcome);
      if (state !== undefined) states.set(linked.row.Id, state);
    }
    this.progress.after = batch[batch.length - 1]!.row.Id;
    await ctx.commit({
      outcomes,
      states,
      cursor: { key: reconcileKeys.progress(this.sobject), value: JSON.stringify(this.progress) },
      extraCursors: [
        this.spentCursor(),
        { key: reconcileKeys.repairPull(this.sobject), value: listOrNull(this.pullQueue) },
        { key: reconcileKeys.repairPush, value: listOrNull(this.pushQueue) },
      ],
    });
  }

  /** One record: its outcome, and its new sync state (undefined: unchanged, null: dropped). */
  private compareOne(
    { row, entry }: Linked,
    lead: MarketoLead | undefined,
  ): { outcome: PackedOutcome; state?: SyncStateEntry | null } {
    this.tally.compared++;
    const name = nameOf(row);
    const base = { sfId: row.Id, mktoId: entry.m!, ...(name && { name }) };
    const owed = this.failing.has(row.Id) || entry.p === true;
    if (!lead) {
      // The person is gone (deleted or merged away in Marketo): the pull writes the record anew,
      // upserting by its link field (a merge winner that carries the link is found that way).
      if (owed) return { outcome: { ...base, outcome: 'skipped' }, state: undefined };
      this.tally.drifted++;
      this.tally.marketoSide++;
      this.pullQueue.add(row.Id);
      return {
        outcome: {
          ...base,
          outcome: 'drifted',
          changes: [{ field: 'Marketo person', old: null, new: entry.m }],
        },
        state: null,
      };
    }
    const sfValues = this.compared.map((c) =>
      toMarketoValue(c.repair === 'account' ? (row.Account?.[c.field.sf] ?? null) : row[c.field.sf], c.field),
    );
    const sfHashes = sfValues.map(valueHash);
    const mkHashes = this.compared.map((c) => valueHash(lead[c.field.mk] ?? null));
    // The record's hash on each side is the list of its field hashes (compared exactly: a short
    // hash of the list could collide and hide a difference).
    if (sfHashes.every((hash, i) => hash === mkHashes[i])) {
      return { outcome: { ...base, outcome: 'skipped' }, state: this.corrected(entry, sfHashes) };
    }
    if (owed) {
      // A failed write is still owed: its retry repairs it (or says why not); not drift.
      this.tally.owed++;
      return { outcome: { ...base, outcome: 'skipped' } };
    }
    const state: SyncStateEntry = { ...entry, f: { ...entry.f } };
    const changes: FieldChange[] = [];
    let salesforceMoved = false;
    let marketoMoved = false;
    this.compared.forEach((c, i) => {
      if (sfHashes[i] === mkHashes[i]) return;
      const stored = entry.f[c.field.sf];
      if (c.repair !== 'account') {
        if (stored !== sfHashes[i]) salesforceMoved = true;
        if (stored !== mkHashes[i]) marketoMoved = true;
      }
      const sfValue = sfValues[i] ?? null;
      const mkValue = lead[c.field.mk] ?? null;
      const label = c.repair === 'account' ? `Account.${c.field.sf}` : c.field.sf;
      if (c.repair === 'push') {
        // Push Updates writes a field whose Marketo value hashes differently from the state.
        state.f[c.field.sf] = sfHashes[i]!;
        this.pushQueue.add(entry.m!);
        changes.push({ field: label, old: sfValue, new: mkValue });
        return;
      }
      if (c.repair === 'pull') state.f[c.field.sf] = mkHashes[i]!;
      // A contact's account fields are written when its account link looks moved (pullBatch.ts).
      else state.a = row.AccountId ? null : '';
      this.pullQueue.add(row.Id);
      changes.push({ field: label, old: mkValue, new: sfValue });
    });
    this.tally.drifted++;
    if (salesforceMoved) this.tally.salesforceSide++;
    if (marketoMoved) this.tally.marketoSide++;
    return { outcome: { ...base, outcome: 'drifted', changes }, state };
  }

  /** The entry with the agreed hashes when its stored ones are stale; undefined when they are not. */
  private corrected(entry: SyncStateEntry, hashes: string[]): SyncStateEntry | undefined {
    let f: Record<string, string> | undefined;
    this.compared.forEach((c, i) => {
      if (c.repair === 'account' || entry.f[c.field.sf] === hashes[i]) return;
      f ??= { ...entry.f };
      f[c.field.sf] = hashes[i]!;
    });
    if (!f) return undefined;
    this.tally.corrected++;
    return { ...entry, f };
  }

  private callsNow() {
    const now = this.ctx.budget.spentCalls();
    return {
      salesforce: now.salesforce - this.callsAtStart.salesforce,
      marketo: now.marketo - this.callsAtStart.marketo,
    };
  }

  private spentToday(): SpentToday {
    const calls = this.callsNow();
    return {
      day: this.spentAtStart.day,
      salesforce: this.spentAtStart.salesforce + calls.salesforce,
      marketo: this.spentAtStart.marketo + calls.marketo,
    };
  }

  private spentCursor() {
    return { key: reconcileKeys.spent, value: JSON.stringify(this.spentToday()) };
  }

  /** Before each call: the cycle's budget, then Reconcile's share of the day's API budget. */
  private check(): void {
    this.ctx.budget.check();
    const caps = dailyCaps(this.ctx.settings, this.ctx.salesforce.transport.usage.latest?.max);
    const reason = shareSpentReason(this.spentToday(), caps);
    if (reason) throw new ReconcileShareSpentError(reason);
  }
}

function listOrNull<T>(items: Set<T>): string | null {
  return items.size ? JSON.stringify([...items]) : null;
}
