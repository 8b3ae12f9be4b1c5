// Reconcile (design §10): proof that both sides agree. The other operations only ever see changes
// (SystemModstamp, the Marketo activity feed); a value changed behind the sync's back — a data fix
// below the API, a feed entry lost, a write whose log commit never happened — stays different for
// ever. Reconcile reads every linked lead and contact on both sides in the APIs' largest pages:
// Salesforce object by object in Id order, 2,000 rows per queryMore page; Marketo by person id,
// 300 per call across both objects (Marketo has one person API for both), so
// ceil(rows / 2,000) per object + ceil(persons / 300) calls in all. Each record's field hashes are
// compared (reconcileCompare.ts). A record whose sides differ and that owes no failed write is
// `drifted`: its sync state is set to what each side really holds and it is queued for the next
// Pull Updates / Push Updates (reconcileRepair.ts), which then see the difference and write it.
// It stops at the cycle's budget or at its daily share of the API budget (reconcileSchedule.ts)
// and goes on from the last Id it committed, per object.
import { loadStatesSpan } from '../../db/syncStateSpan';
import type { SyncState } from '../../db/syncStateTypes';
import type { Operation, PackedOutcome } from '../../db/types';
import { MARKETO_BATCH } from '../../marketo';
import type { StepContext } from '../context';
import { withVanishedColumns } from '../fieldAccess';
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
import { readAhead } from './common';
import type { PullRow } from './pullBatch';
import { compareRecord, comparisonOf, type ObjectComparison } from './reconcileCompare';
import { RECHECK_IDS_PER_QUERY, Rechecks } from './reconcileRecheck';

/** The steps whose unfinished work would look like drift (see refuseAfterFailedSteps). */
const PERSON_WRITERS: readonly Operation[] = ['Pull Updates', 'Pull Conversions', 'Push Updates'];

interface Progress {
  /** The last Salesforce Id compared and committed (Ids are read in order). */
  after: string;
  startedAt: number;
  /** Every record of the object was compared in this run. */
  done?: boolean;
}

interface Linked {
  object: ObjectComparison;
  row: PullRow;
  entry: SyncState;
}

export const reconcile: OperationModule = {
  operation: 'Reconcile',
  // One step for persons, leads and contacts alike: Marketo reads them through one API.
  steps: (scope) =>
    scope.reconcile && !scope.record && RECONCILED_OBJECTS.some((o) => scope.settings.objects[o]?.enabled)
      ? [{ operation: 'Reconcile', objectType: 'Person', sobject: 'Lead' }]
      : [],
  // A mapped column gone since the last describe (field-level security changed): re-described once
  // and left out with a warning (fieldAccess.ts); the run resumes from its committed progress.
  run: (ctx) => withVanishedColumns(ctx, () => reconcileAll.run(ctx)),
};

const reconcileAll = {
  async run(ctx: StepContext) {
    const objects: ObjectComparison[] = [];
    /** Objects not due for a full check whose records wait to be compared again (by id). */
    const byId = new Set<string>();
    for (const sobject of RECONCILED_OBJECTS) {
      if (!ctx.settings.objects[sobject]?.enabled) continue;
      const due =
        ctx.notes.reconcile === 'now' ||
        (await reconcileDueFor(ctx.db, ctx.settings, sobject, ctx.clock.now()));
      const recheck = !due && (await ctx.db.cursors.get(reconcileKeys.recheck(sobject))) !== undefined;
      if (due || recheck) objects.push(await comparisonOf(ctx, sobject));
      if (recheck) byId.add(sobject);
    }
    if (objects.length) await new ReconcileRun(ctx, objects, byId).run();
  },
};

class ReconcileRun {
  private readonly queue: Linked[] = [];
  private readonly progress = new Map<string, Progress>();
  private readonly pullQueue = new Map<string, Set<string>>();
  private pushQueue = new Set<number>();
  private failing = new Set<string>();
  private rechecks = new Rechecks();
  /** The cycle's start, to the second: records changed since are checked next time. */
  private since = 0;
  private spentAtStart: SpentToday = { day: 0, salesforce: 0, marketo: 0 };
  private readonly callsAtStart: { salesforce: number; marketo: number };
  private readonly tally = {
    inFlight: 0,
    compared: 0,
    drifted: 0,
    owed: 0,
    corrected: 0,
    salesforceSide: 0,
    marketoSide: 0,
  };

  constructor(
    private readonly ctx: StepContext,
    private readonly objects: ObjectComparison[],
    /** Objects compared only for their records waiting to be compared again (reconcileRecheck.ts). */
    private readonly byId: ReadonlySet<string>,
  ) {
    this.callsAtStart = ctx.budget.spentCalls();
  }

  async run(): Promise<void> {
    const { ctx, objects } = this;
    const now = ctx.clock.now();
    const cursor = async (key: string) => (await ctx.db.cursors.get(key))?.value;
    await this.refuseAfterFailedSteps();
    const cycle = await ctx.db.cycles.get(ctx.cycleId);
    this.since = Math.floor((cycle?.startedAt ?? now) / 1000) * 1000;
    this.spentAtStart = await readSpent(ctx.db, now);
    this.failing = new Set(await ctx.db.records.where('state').equals('failed').primaryKeys());
    this.pushQueue = new Set(JSON.parse((await cursor(reconcileKeys.repairPush)) ?? '[]') as number[]);
    this.rechecks = await Rechecks.load(
      ctx,
      objects.map((o) => o.sobject),
    );
    for (const { sobject } of objects) {
      const stored = await cursor(reconcileKeys.progress(sobject));
      this.progress.set(sobject, stored ? (JSON.parse(stored) as Progress) : { after: '', startedAt: now });
      const queued = await cursor(reconcileKeys.repairPull(sobject));
      this.pullQueue.set(sobject, new Set(JSON.parse(queued ?? '[]') as string[]));
    }

    for (const object of objects) {
      if (this.byId.has(object.sobject)) {
        await this.compareAgain(object);
        continue;
      }
      const progress = this.progress.get(object.sobject)!;
      if (progress.done) continue;
      const waiting = new Set(this.rechecks.of(object.sobject));
      // Only a scan from the first Id sees every record that still exists.
      const fromStart = progress.after === '';
      for await (const page of readAhead(ctx.salesforce.query(this.soql(object, progress)), () =>
        this.check(),
      )) {
        for (const row of page.records as PullRow[]) waiting.delete(row.Id);
        await this.add(object, page.records as PullRow[]);
      }
      // Waiting records the whole scan did not find (deleted since) have nothing left to compare.
      if (fromStart) this.rechecks.dropped(object.sobject, waiting);
      // Done once its last queued records are committed (they may share a call with the next object's).
      progress.done = true;
    }
    while (this.queue.length) await this.compareBatch();
    await ctx.commit({
      outcomes: [],
      extraCursors: [
        this.spentCursor(),
        ...this.rechecks.cursors(),
        ...this.fullyChecked().flatMap(({ sobject }) => [
          { key: reconcileKeys.progress(sobject), value: null },
          { key: reconcileKeys.lastRun(sobject), value: String(this.progress.get(sobject)!.startedAt) },
        ]),
      ],
    });
    const calls = this.callsNow();
    const t = this.tally;
    ctx.log(
      `Reconcile ${objects.map((o) => o.sobject).join(', ')}: compared ${t.compared}, drifted ${t.drifted} ` +
        `(Salesforce side changed ${t.salesforceSide}, Marketo side ${t.marketoSide}), not counted for a pending ` +
        `failure ${t.owed}, changed during this cycle ${t.inFlight}, stale sync states corrected ${t.corrected}; API calls: Salesforce ${calls.salesforce}, ` +
        `Marketo ${calls.marketo}`,
    );
  }

  /**
   * Every row of the object that the sync may link, in Id order from where a stopped check got to;
   * or only the rows of `ids`.
   */
  private soql(object: ObjectComparison, progress: Progress, ids?: string[]): string {
    const fields = new Set(['Id', 'SystemModstamp', 'FirstName', 'LastName']);
    for (const c of object.compared)
      fields.add(c.repair === 'account' ? `Account.${c.field.sf}` : c.field.sf);
    if (object.compared.some((c) => c.repair === 'account')) fields.add('AccountId');
    const where: string[] = [];
    if (progress.after) where.push(`Id > '${progress.after}'`);
    // Ids come from the log (validated 18-character Salesforce ids), never from a user.
    if (ids) where.push(`Id IN (${ids.map((id) => `'${id}'`).join(', ')})`);
    // Converted leads belong to their contact, excluded records are not synced: neither is compared.
    if (object.sobject === 'Lead') where.push('IsConverted = false');
    if (object.filterField) where.push(`${object.filterField} = false`);
    const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    return `SELECT ${[...fields].join(', ')} FROM ${object.sobject}${clause} ORDER BY Id`;
  }

  /** The objects this run checks in full (not only their records waiting to be compared again). */
  private fullyChecked(): ObjectComparison[] {
    return this.objects.filter((o) => !this.byId.has(o.sobject));
  }

  /** Compares again, by id, the object's records that changed during an earlier check's cycle. */
  private async compareAgain(object: ObjectComparison): Promise<void> {
    const ids = this.rechecks.of(object.sobject);
    for (let i = 0; i < ids.length; i += RECHECK_IDS_PER_QUERY) {
      const chunk = ids.slice(i, i + RECHECK_IDS_PER_QUERY);
      const missing = new Set(chunk);
      const soql = this.soql(object, { after: '', startedAt: 0 }, chunk);
      for await (const page of readAhead(this.ctx.salesforce.query(soql), () => this.check())) {
        for (const row of page.records as PullRow[]) missing.delete(row.Id);
        await this.add(object, page.records as PullRow[]);
      }
      this.rechecks.dropped(object.sobject, missing);
    }
  }

  private async add(object: ObjectComparison, rows: PullRow[]): Promise<void> {
    const states = await loadStatesSpan(
      this.ctx.db,
      rows.map((r) => r.Id),
    );
    for (const row of rows) {
      const entry = states.get(row.Id);
      if (
        entry?.marketoId === undefined ||
        entry.excluded ||
        entry.convertedTo ||
        entry.sobject !== object.sobject
      ) {
        // Not linked (any more): nothing to compare again either.
        this.rechecks.dropped(object.sobject, [row.Id]);
        continue;
      }
      this.queue.push({ object, row, entry });
    }
    // Marketo is read 300 persons per call across page ends: ceil(linked / 300) calls in all.
    while (this.queue.length >= MARKETO_BATCH) await this.compareBatch();
  }

  private async compareBatch(): Promise<void> {
    const { ctx } = this;
    const batch = this.queue.splice(0, MARKETO_BATCH);
    this.check();
    const fields = new Set(['updatedAt', ...batch.flatMap((l) => l.object.compared.map((c) => c.field.mk))]);
    const leads = await ctx.marketo.leads.getByFilter({
      filterType: 'id',
      filterValues: batch.map((l) => l.entry.marketoId!),
      fields: [...fields],
    });
    const byId = new Map(leads.map((lead) => [lead.id, lead]));
    const outcomes: PackedOutcome[] = [];
    const states = new Map<string, SyncState | null>();
    for (const { object, row, entry } of batch) {
      const owed = this.failing.has(row.Id) || entry.pushOwed === true;
      const found = compareRecord(object, row, entry, byId.get(entry.marketoId!), owed, this.since);
      this.count(found);
      outcomes.push(found.outcome);
      if (found.state !== undefined) states.set(row.Id, found.state);
      if (found.pull) this.pullQueue.get(object.sobject)!.add(row.Id);
      if (found.push) this.pushQueue.add(entry.marketoId!);
      this.rechecks.compared(object.sobject, row.Id, found.kind === 'inFlight');
      if (!this.byId.has(object.sobject)) this.progress.get(object.sobject)!.after = row.Id;
    }
    await ctx.commit({
      outcomes,
      states,
      extraCursors: [
        this.spentCursor(),
        { key: reconcileKeys.repairStep, value: String(ctx.stepId) },
        { key: reconcileKeys.repairPush, value: listOrNull(this.pushQueue) },
        ...this.rechecks.cursors(),
        ...this.objects.map(({ sobject }) => ({
          key: reconcileKeys.repairPull(sobject),
          value: listOrNull(this.pullQueue.get(sobject)!),
        })),
        ...this.fullyChecked().map(({ sobject }) => ({
          key: reconcileKeys.progress(sobject),
          value: JSON.stringify(this.committed(sobject)),
        })),
      ],
    });
  }

  /**
   * A person step of this cycle that failed left changes unapplied (a feed not read, a page not
   * written): compared now they would look like drift, and their repair by the winner could undo
   * them. Reconcile then waits for a cycle whose Pull and Push Updates completed.
   */
  private async refuseAfterFailedSteps(): Promise<void> {
    const steps = await this.ctx.db.steps.where('cycleId').equals(this.ctx.cycleId).toArray();
    const failed = steps.find(
      (s) => PERSON_WRITERS.includes(s.operation) && s.status !== 'Completed' && s.id !== this.ctx.stepId,
    );
    if (failed)
      throw new Error(
        `Not compared: ${failed.operation} ${failed.objectType} ended ${failed.status} in this cycle; ` +
          'Reconcile runs in a cycle whose Pull and Push Updates completed',
      );
  }

  /** The object's progress as committed: done only when none of its records still wait. */
  private committed(sobject: string): Progress {
    const progress = this.progress.get(sobject)!;
    if (!progress.done || !this.queue.some((l) => l.object.sobject === sobject)) return progress;
    const { done: _waiting, ...rest } = progress;
    return rest;
  }

  private count(found: ReturnType<typeof compareRecord>): void {
    const t = this.tally;
    t.compared++;
    if (found.kind === 'owed') t.owed++;
    if (found.kind === 'inFlight') t.inFlight++;
    if (found.kind === 'corrected') t.corrected++;
    if (found.kind !== 'drifted') return;
    t.drifted++;
    if (found.salesforceMoved) t.salesforceSide++;
    if (found.marketoMoved) t.marketoSide++;
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
