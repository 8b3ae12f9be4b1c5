// The soak's judge: reads both systems straight from the emulator's stores (not through the sync)
// and the record panel's state from the log, and counts what a sync must never do.
// - lost: a live, synced Salesforce lead/contact with no Marketo person; a record deleted (or a
//   lead converted) during the run whose person is still linked to it; a form fill by a synced
//   person that never became a Task.
// - duplicated: two persons linked to one Salesforce record; two Tasks for one activity.
// - drifted: a mapped field whose sides disagree while the panel does not show the record Failed
//   with a reason; or a panel state that is neither Synced nor Failed-with-reason for a synced
//   record (the panel must tell the truth either way).
// Values are compared as the APIs store them: empty text and null are both "no value" (Salesforce
// stores '' as null), numbers by value; text exactly — whitespace and case included — except that a
// field written into Salesforce compares Marketo's text as Salesforce would store it (Salesforce
// trims surrounding whitespace on save, lib/sync/hash.ts: " Acme" in Marketo can only ever be
// "Acme" there, and the sync rightly reads them as equal), and a number field with a noisy-number
// threshold keeps gaps below it (the sync skips those on purpose, saying why).
import type { Emulator } from '../../emulator/index';
import type { LogDatabase } from '../../lib/db/logPort';
import { getRecordStatus } from '../../lib/db/recordStatus';
import type { RecordStatusView } from '../../lib/messaging/views';
import { recordStatusView } from '../../lib/records/statusView';
import type { SyncSettings } from '../../lib/settings/schema';
import { salesforceTrim } from '../../lib/sync/hash';
import { type MappedField, type ResolvedMapping, resolveMapping } from '../../lib/sync/mapping';
import { MARKETO_LEAD_SCHEMA } from '../../lib/sync/schemaCache';
import { personsBySfId } from './actions';
import { judgeActivities } from './activities';
import { judgeEmails } from './emails';
import { judgeMembers } from './members';
import { judgeObjects } from './objectsJudge';

export interface Verdict {
  records: number;
  lost: string[];
  duplicated: string[];
  drifted: string[];
  /** Records whose sides disagree and whose panel says Failed with the reason (allowed). */
  failed: string[];
}

export function verdictLine(v: Verdict): string {
  return `records ${v.records}, lost ${v.lost.length}, duplicated ${v.duplicated.length}, drifted ${v.drifted.length}`;
}

export const isClean = (v: Verdict) => v.lost.length + v.duplicated.length + v.drifted.length === 0;

type Row = Record<string, unknown>;
type Shown = (object: string, id: string) => Promise<RecordStatusView>;

/** How a field's two values are compared (see the file's head). */
interface Comparison {
  numeric: boolean;
  /** Written into Salesforce (push or both): Marketo's text as Salesforce would store it. */
  toSalesforce: boolean;
  /** A noisy-number threshold on the field (options; lib/sync/thresholds.ts): smaller gaps are kept. */
  minDelta?: number;
}

function same(sfValue: unknown, mkValue: unknown, how: Comparison): boolean {
  const empty = (v: unknown) => v === null || v === undefined || v === '';
  const mk = how.toSalesforce && typeof mkValue === 'string' ? salesforceTrim(mkValue) : mkValue;
  if (empty(sfValue) || empty(mk)) return empty(sfValue) && empty(mk);
  if (how.numeric) {
    const gap = Math.abs(Number(sfValue) - Number(mk));
    return gap === 0 || (how.minDelta !== undefined && gap < how.minDelta);
  }
  return String(sfValue) === String(mk);
}

/** The comparison rule of each mapped field of an object. */
function comparisons(
  fields: readonly MappedField[],
  mapping: ResolvedMapping | undefined,
  settings: SyncSettings,
) {
  const pushed = new Set(mapping?.push.map((f) => f.sf) ?? []);
  return new Map(
    fields.map((f): [string, Comparison] => {
      const threshold = settings.changeThresholds.find((t) => t.field === f.mk || t.field === f.sf);
      return [
        f.sf,
        {
          numeric: NUMERIC.has(f.sfType),
          toSalesforce: pushed.has(f.sf),
          ...(threshold && { minDelta: threshold.minDelta }),
        },
      ];
    }),
  );
}

const NUMERIC = new Set(['int', 'double', 'currency', 'percent', 'long']);

/**
 * Judges both sides. `since`: when the run started (records deleted or converted before it, e.g. by
 * the seed, are not the sync's to have handled).
 */
export async function judge(
  emu: Emulator,
  db: LogDatabase,
  settings: SyncSettings,
  since: number,
  options: { sampleEvery: number } = { sampleEvery: 1 },
): Promise<Verdict> {
  const v: Verdict = { records: 0, lost: [], duplicated: [], drifted: [], failed: [] };
  const persons = personsBySfId(emu);
  const mkLead = (id: number) => emu.marketo.store.leads.get(id)?.values ?? {};
  const filter = settings.syncFilterField;
  const mkSchema = await db.schemas.get(MARKETO_LEAD_SCHEMA);
  const inScope = new Set<string>();

  /** Synced records the panel shows Failed with a reason (their Tasks may be owed too). */
  const failedIds = new Set<string>();
  const shown: Shown = async (object, id) =>
    recordStatusView(object, await getRecordStatus(db, id, { limit: 5 }));
  // The panel's own lookup costs ~12 ms a record over fake-indexeddb. Every record with a flags
  // row (any failure in its history) is looked up; of the others — which have never failed, so
  // their panel state comes from their sync events — every `sampleEvery`-th.
  const flagged = new Set((await db.records.toCollection().primaryKeys()) as string[]);
  let unflagged = 0;
  const needsLook = (id: string) => flagged.has(id) || unflagged++ % options.sampleEvery === 0;

  for (const object of ['Lead', 'Contact'] as const) {
    if (!settings.objects[object]?.enabled) continue;
    const sfSchema = await db.schemas.get(object);
    const mapping =
      sfSchema && mkSchema ? resolveMapping(settings.objects[object], sfSchema, mkSchema) : undefined;
    const fields = mapping ? unique([...mapping.pull, ...mapping.push]) : [];
    const how = comparisons(fields, mapping, settings);
    for (const [id, row] of emu.salesforce.store.tables.get(object)?.records ?? []) {
      if (filter && row[filter] === true) continue;
      const linked = persons.get(id) ?? [];
      const changedDuringRun = (row.SystemModstamp as number) >= since;
      if (row.IsDeleted) {
        if (changedDuringRun && linked.length)
          v.lost.push(`${object} ${id} deleted, person ${linked} still linked`);
        continue;
      }
      if (row.IsConverted) {
        if (changedDuringRun && linked.length)
          v.duplicated.push(
            `Lead ${id} converted to ${row.ConvertedContactId}, person ${linked} still linked to the lead`,
          );
        continue;
      }
      v.records += 1;
      inScope.add(id);
      if (linked.length > 1) v.duplicated.push(`${object} ${id}: persons ${linked.join(', ')}`);
      const sf = linked.length ? (emu.control.sfGet({ id }) ?? {}) : {};
      const mk = linked.length ? mkLead(linked[0]!) : {};
      const diffs = linked.length
        ? fields
            .filter((f) => !same(sf[f.sf], mk[f.mk], how.get(f.sf)!))
            .map(
              (f) =>
                `${f.sf} ${JSON.stringify(sf[f.sf] ?? null)} ≠ ${f.mk} ${JSON.stringify(mk[f.mk] ?? null)}`,
            )
        : [];
      if (!linked.length || diffs.length || needsLook(id)) {
        const view = await shown(object, id);
        const failedWithReason = view.state === 'failed' && !!view.lastError?.message;
        if (failedWithReason) failedIds.add(id);
        if (linked.length === 0) {
          if (failedWithReason) v.failed.push(`${object} ${id} not in Marketo: ${view.lastError?.message}`);
          else v.lost.push(`${object} ${id} has no Marketo person (shown ${view.state})`);
          continue;
        }
        note(v, `${object} ${id}`, diffs, view, failedWithReason);
      }
    }
  }
  if (settings.objects.Account?.enabled) await judgeAccounts(emu, db, settings, v, inScope, shown, needsLook);
  judgeTasks(emu, settings, v, since, inScope, failedIds);
  v.drifted.push(...judgeMembers(emu, settings));
  await judgeObjects(emu, settings, since, v, { shown, needsLook });
  await judgeEmails(v, emu, db, settings);
  const activities = judgeActivities(emu, settings);
  v.lost.push(...activities.lost);
  v.duplicated.push(...activities.duplicated);
  v.drifted.push(...activities.drifted);
  return v;
}

function note(v: Verdict, what: string, diffs: string[], view: RecordStatusView, failedWithReason: boolean) {
  const { state } = view;
  if (state === 'failed' && !failedWithReason) v.drifted.push(`${what} shown Failed without a reason`);
  else if (diffs.length && failedWithReason)
    v.failed.push(`${what} (${view.lastError?.message}): ${diffs.join('; ')}`);
  else if (diffs.length) v.drifted.push(`${what} shown ${state}: ${diffs.join('; ')}`);
  // Skipped with its reason (a change under its threshold, held back on purpose) says why it is not
  // Synced; only a state that does not say why is drift.
  else if (state !== 'synced' && !failedWithReason && !(state === 'skipped' && view.skippedReason))
    v.drifted.push(`${what} agrees but is shown ${state}${shownBecause(view)}`);
}

/** The step and reason a record is shown with, for a drift line a reader can act on. */
function shownBecause(view: RecordStatusView): string {
  const why = view.skippedReason ?? view.excludedReason ?? view.lastError?.message;
  const by = view.operation ? ` by ${view.operation}` : '';
  return `${by}${view.cycleId ? ` in cycle ${view.cycleId}` : ''}${why ? ` (${why})` : ''}`;
}

async function judgeAccounts(
  emu: Emulator,
  db: LogDatabase,
  settings: SyncSettings,
  v: Verdict,
  contactsInScope: Set<string>,
  shown: Shown,
  needsLook: (id: string) => boolean,
) {
  const sfSchema = await db.schemas.get('Account');
  const mkSchema = await db.schemas.get(MARKETO_LEAD_SCHEMA);
  const fields =
    sfSchema && mkSchema ? resolveMapping(settings.objects.Account, sfSchema, mkSchema).pull : [];
  const byAccount = new Map<string, Row[]>();
  for (const lead of emu.marketo.store.leads.byId.values()) {
    const account = lead.values.sfdcAccountIdCustom as string | undefined;
    const contact = lead.values.sfdcContactIdCustom as string | undefined;
    if (!account || !contact || !contactsInScope.has(contact)) continue;
    byAccount.set(account, [...(byAccount.get(account) ?? []), { id: lead.id, ...lead.values }]);
  }
  for (const [id, row] of emu.salesforce.store.tables.get('Account')?.records ?? []) {
    if (row.IsDeleted) continue;
    v.records += 1;
    const sf = emu.control.sfGet({ id }) ?? {};
    const diffs = (byAccount.get(id) ?? []).flatMap((mk) =>
      fields
        .filter((f) => !same(sf[f.sf], mk[f.mk], { numeric: NUMERIC.has(f.sfType), toSalesforce: false }))
        .map(
          (f) =>
            `person ${mk.id} ${f.mk} ${JSON.stringify(mk[f.mk] ?? null)} ≠ ${f.sf} ${JSON.stringify(sf[f.sf] ?? null)}`,
        ),
    );
    if (!diffs.length && !needsLook(id)) continue;
    const view = await shown('Account', id);
    note(v, `Account ${id}`, diffs, view, view.state === 'failed' && !!view.lastError?.message);
  }
}

/** Form fills during the run by persons of synced records: exactly one Task each. */
function judgeTasks(
  emu: Emulator,
  settings: SyncSettings,
  v: Verdict,
  since: number,
  inScope: Set<string>,
  failedIds: Set<string>,
) {
  const types = new Set(settings.taskActivityTypes.map((t) => t.id));
  if (!types.size) return;
  const tasks = new Map<string, number>();
  for (const row of emu.salesforce.store.tables.get('Task')?.records.values() ?? []) {
    const key = /\[mkto ([^\]]+)\]$/.exec(String(row.Subject ?? ''))?.[1];
    if (key && !row.IsDeleted) tasks.set(key, (tasks.get(key) ?? 0) + 1);
  }
  for (const [key, n] of tasks) if (n > 1) v.duplicated.push(`activity ${key}: ${n} Tasks`);
  for (const a of emu.marketo.store.activities.all()) {
    if (a.date < since || !types.has(a.typeId)) continue;
    const person = emu.marketo.store.leads.get(a.leadId)?.values;
    const sfId = (person?.sfdcContactIdCustom || person?.sfdcLeadIdCustom) as string | undefined;
    if (!sfId || !inScope.has(sfId)) continue;
    if (tasks.has(String(a.id))) continue;
    if (failedIds.has(sfId)) v.failed.push(`activity ${a.id} of ${sfId}: no Task, record shown Failed`);
    else v.lost.push(`activity ${a.id} of person ${a.leadId} (${sfId}) has no Task`);
  }
}

function unique<T extends { sf: string }>(fields: T[]): T[] {
  return [...new Map(fields.map((f) => [f.sf, f])).values()];
}
