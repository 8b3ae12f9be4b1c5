// One batch of Pull Updates: classify the rows (skipped / excluded / to write), write the persons
// or accounts to Marketo, and commit. Values are hashed in their Marketo form so that a number
// Marketo rounds (12.7 → 13) does not look like a change on the next cycle.
import type { SyncStateEntry } from '../../db/syncStateTypes';
import type { PackedOutcome } from '../../db/types';
import { MARKETO_BATCH, MarketoApiError, type MarketoLead, type MarketoRecordOutcome } from '../../marketo';
import type { StepContext } from '../context';
import { valueHash } from '../hash';
import { type LinkFields, linkValues, ownLink } from '../linkage';
import { type MappedField, type ResolvedMapping, toMarketoValue } from '../mapping';
import { loadStates } from '../state';
import { chunks, marketoError, nameOf } from './common';

export interface PullRow extends Record<string, unknown> {
  Id: string;
  SystemModstamp?: string;
  AccountId?: string | null;
  Account?: Record<string, unknown> | null;
}

export interface PullSetup {
  sobject: string;
  mapping: ResolvedMapping;
  links: LinkFields;
  filterField: string | null;
  /** Contacts: account fields read through the Account relationship. */
  accountFields: MappedField[];
}

/** The checkpoint after a run of rows (called once per run, in stream order). */
export type CursorOf = (rows: PullRow[]) => string;

interface PendingWrite {
  row: PullRow;
  state: SyncStateEntry | undefined;
  fields: MappedField[];
  values: Record<string, unknown>;
}

/** Contact id → the Marketo person of the lead converted into it (seen by this cycle's lead pull). */
export function convertedPersons(ctx: StepContext): Map<string, number> {
  let map = ctx.shared.get('converted-persons') as Map<string, number> | undefined;
  if (!map) {
    map = new Map();
    ctx.shared.set('converted-persons', map);
  }
  return map;
}

/** Contact id → a converted lead we never synced (its person, if any, is looked up by link). */
export function convertedLeads(ctx: StepContext): Map<string, string> {
  let map = ctx.shared.get('converted-leads') as Map<string, string> | undefined;
  if (!map) {
    map = new Map();
    ctx.shared.set('converted-leads', map);
  }
  return map;
}

/** Marketo persons whose failed push Push Updates must re-check this cycle. */
export function pushRecheck(ctx: StepContext): number[] {
  let list = ctx.shared.get('push-recheck') as number[] | undefined;
  if (!list) {
    list = [];
    ctx.shared.set('push-recheck', list);
  }
  return list;
}

const hashOf = (row: Record<string, unknown>, f: MappedField) => valueHash(toMarketoValue(row[f.sf], f));

function classify(ctx: StepContext, setup: PullSetup, rows: PullRow[], states: Map<string, SyncStateEntry>) {
  const outcomes: PackedOutcome[] = [];
  const newStates = new Map<string, SyncStateEntry | null>();
  const writes: PendingWrite[] = [];
  for (const row of rows) {
    const state = states.get(row.Id);
    const name = nameOf(row);
    if (row.IsConverted === true) {
      // Pull Conversions owns converted leads; the contact's pull may take over the lead's person.
      if (typeof row.ConvertedContactId === 'string') {
        if (state?.m !== undefined) convertedPersons(ctx).set(row.ConvertedContactId, state.m);
        else if (!state?.c) convertedLeads(ctx).set(row.ConvertedContactId, row.Id);
      }
      outcomes.push({ sfId: row.Id, outcome: 'skipped', ...(name && { name }) });
      continue;
    }
    if (setup.filterField && row[setup.filterField] === true) {
      outcomes.push({
        sfId: row.Id,
        outcome: 'excluded',
        reason: `${setup.filterField} is checked`,
        ...(name && { name }),
      });
      if (state && !state.x) newStates.set(row.Id, { ...state, x: true });
      continue;
    }
    const changed = setup.mapping.pull.filter((f) => state?.f[f.sf] !== hashOf(row, f));
    const person = setup.sobject !== 'Account';
    const relinked = person && (state?.m === undefined || state.x === true);
    const accountMoved = setup.sobject === 'Contact' && (state?.a ?? null) !== (row.AccountId ?? null);
    if (!changed.length && !relinked && !accountMoved && state) {
      outcomes.push({ sfId: row.Id, outcome: 'skipped', ...(name && { name }) });
      continue;
    }
    const values: Record<string, unknown> = {};
    for (const f of changed) values[f.mk] = toMarketoValue(row[f.sf], f);
    if (setup.sobject === 'Contact' && (accountMoved || relinked)) {
      for (const f of setup.accountFields) values[f.mk] = toMarketoValue(row.Account?.[f.sf] ?? null, f);
    }
    writes.push({ row, state, fields: changed, values });
  }
  return { outcomes, newStates, writes };
}

/** Marketo wins conflicts: drop 'both' fields that Marketo changed since the last sync too. */
async function dropMarketoWins(ctx: StepContext, setup: PullSetup, writes: PendingWrite[]) {
  if (ctx.settings.objects[setup.sobject]?.conflictWinner !== 'marketo') return;
  const contested = writes.filter((w) => w.state?.m !== undefined && w.fields.some((f) => f.both));
  if (!contested.length) return;
  const bothFields = setup.mapping.pull.filter((f) => f.both);
  const current = new Map<number, Record<string, unknown>>();
  ctx.budget.check();
  const leads = await ctx.marketo.leads.getByFilter({
    filterType: 'id',
    filterValues: contested.map((w) => w.state!.m!),
    fields: bothFields.map((f) => f.mk),
  });
  for (const lead of leads) current.set(lead.id, lead);
  for (const w of contested) {
    const lead = current.get(w.state!.m!);
    if (!lead) continue;
    const theirs = w.fields.filter((f) => f.both && valueHash(lead[f.mk] ?? null) !== w.state!.f[f.sf]);
    if (!theirs.length) continue;
    ctx.log(
      `Pull Updates ${w.row.Id}: Marketo wins ${theirs.map((f) => f.sf).join(', ')} (changed on both sides)`,
    );
    w.fields = w.fields.filter((f) => !theirs.includes(f));
    for (const f of theirs) delete w.values[f.mk];
  }
}

export async function pullPersons(ctx: StepContext, setup: PullSetup, rows: PullRow[], cursorOf?: CursorOf) {
  const states = await loadStates(
    ctx.db,
    rows.map((r) => r.Id),
  );
  const { outcomes, newStates, writes } = classify(ctx, setup, rows, states);
  await dropMarketoWins(ctx, setup, writes);
  await lookUpConvertedLeads(ctx, setup, writes);
  // Runs of rows in stream order, each with at most 300 writes: one Marketo call per 300 persons
  // written, and one commit (events, state, checkpoint) per run.
  const writeOf = new Map(writes.map((w) => [w.row, w]));
  let start = 0;
  while (start < rows.length) {
    let end = start;
    let count = 0;
    while (end < rows.length && (count < MARKETO_BATCH || !writeOf.has(rows[end]!))) {
      if (writeOf.has(rows[end]!)) count++;
      end++;
    }
    const run = rows.slice(start, end);
    const ids = new Set(run.map((r) => r.Id));
    const runStates = new Map([...newStates].filter(([id]) => ids.has(id)));
    if (start > 0) ctx.budget.check();
    await writePersons(
      ctx,
      setup,
      run.flatMap((r) => writeOf.get(r) ?? []),
      outcomes.filter((o) => ids.has(o.sfId)),
      runStates,
      cursorOf?.(run),
    );
    start = end;
  }
  if (rows.length === 0) await writePersons(ctx, setup, [], outcomes, newStates, undefined);
}

/** A new contact converted from a lead takes over the lead's person (no second person + merge). */
async function lookUpConvertedLeads(ctx: StepContext, setup: PullSetup, writes: PendingWrite[]) {
  const converted = convertedPersons(ctx);
  const unsynced = convertedLeads(ctx);
  const lookUp = writes.filter((w) => !w.state && !converted.has(w.row.Id) && unsynced.has(w.row.Id));
  if (!lookUp.length) return;
  // Persons linked to these leads before we ever synced them (one lookup instead of a merge each).
  ctx.budget.check();
  const found = await ctx.marketo.leads.getByFilter({
    filterType: setup.links.lead,
    filterValues: lookUp.map((w) => unsynced.get(w.row.Id)!),
    fields: [setup.links.lead, setup.links.contact],
  });
  const byLead = new Map(
    found.filter((p) => !p[setup.links.contact]).map((p) => [String(p[setup.links.lead]), p.id]),
  );
  for (const w of lookUp) {
    const person = byLead.get(unsynced.get(w.row.Id)!);
    if (person !== undefined) converted.set(w.row.Id, person);
  }
}

async function writePersons(
  ctx: StepContext,
  setup: PullSetup,
  writes: PendingWrite[],
  outcomes: PackedOutcome[],
  newStates: Map<string, SyncStateEntry | null>,
  cursor: string | undefined,
) {
  const sobject = setup.sobject as 'Lead' | 'Contact';
  if (writes.length) {
    const converted = convertedPersons(ctx);
    const takeOver = writes.filter((w) => !w.state && converted.has(w.row.Id));
    const upsert = writes.filter((w) => !takeOver.includes(w));
    const input = (w: PendingWrite) => ({
      ...linkValues(setup.links, sobject, w.row.Id, w.row.AccountId),
      ...w.values,
    });
    const results = new Map<PendingWrite, MarketoRecordOutcome>();
    if (upsert.length) {
      ctx.budget.check();
      const answers = await ctx.marketo.leads.sync({
        action: 'createOrUpdate',
        lookupField: ownLink(setup.links, sobject),
        input: upsert.map(input),
      });
      for (const [i, w] of upsert.entries()) results.set(w, answers[i]!);
    }
    if (takeOver.length) {
      ctx.budget.check();
      const answers = await ctx.marketo.leads.sync({
        action: 'updateOnly',
        lookupField: 'id',
        input: takeOver.map((w) => ({ id: converted.get(w.row.Id)!, ...input(w) })),
      });
      for (const [i, w] of takeOver.entries()) results.set(w, answers[i]!);
    }
    writes.forEach((w) => {
      const result = results.get(w)!;
      const name = nameOf(w.row);
      if (result.status === 'skipped' || typeof result.id !== 'number') {
        outcomes.push({
          sfId: w.row.Id,
          outcome: 'failed',
          error: marketoError(result),
          ...(name && { name }),
        });
        return;
      }
      const f = { ...w.state?.f };
      for (const field of w.fields) f[field.sf] = hashOf(w.row, field);
      const entry: SyncStateEntry = { ...w.state, o: sobject, f, m: result.id };
      delete entry.x;
      // The pull clears the record's failure flag; a push still owed is re-checked this cycle.
      if (entry.p) pushRecheck(ctx).push(result.id);
      if (sobject === 'Contact') entry.a = w.row.AccountId ?? null;
      newStates.set(w.row.Id, entry);
      outcomes.push({
        sfId: w.row.Id,
        mktoId: result.id,
        outcome: result.status === 'created' ? 'new' : 'updated',
        changes: w.fields.map((field) => ({ field: field.sf, old: null, new: w.row[field.sf] ?? null })),
        ...(name && { name }),
      });
    });
  }
  await ctx.commit({
    outcomes,
    states: newStates,
    ...(cursor && { cursor: { key: `pull:${sobject}`, value: cursor } }),
  });
}

/**
 * Accounts have no Marketo record of their own: their fields live on every person linked to the
 * account (sfdcAccountId), so a changed account is written to each of its persons.
 */
export async function pullAccounts(ctx: StepContext, setup: PullSetup, rows: PullRow[], cursorOf?: CursorOf) {
  const cursor = cursorOf?.(rows);
  const states = await loadStates(
    ctx.db,
    rows.map((r) => r.Id),
  );
  const { outcomes, newStates, writes } = classify(ctx, setup, rows, states);
  const persons = new Map<string, number[]>();
  for (const ids of chunks(
    writes.map((w) => w.row.Id),
    MARKETO_BATCH,
  )) {
    for (const lead of await personsOfAccounts(ctx, setup.links.account, ids)) {
      const accountId = lead[setup.links.account] as string;
      persons.set(accountId, [...(persons.get(accountId) ?? []), lead.id]);
    }
  }
  const input = writes.flatMap((w) => (persons.get(w.row.Id) ?? []).map((id) => ({ id, ...w.values })));
  const owner = writes.flatMap((w) => (persons.get(w.row.Id) ?? []).map(() => w.row.Id));
  const failures = new Map<string, PackedOutcome['error']>();
  for (const [n, part] of chunks(input, MARKETO_BATCH).entries()) {
    ctx.budget.check();
    const results = await ctx.marketo.leads.sync({ action: 'updateOnly', lookupField: 'id', input: part });
    results.forEach((r, i) => {
      if (r.status === 'skipped') failures.set(owner[n * MARKETO_BATCH + i]!, marketoError(r));
    });
  }
  for (const w of writes) {
    const name = nameOf(w.row);
    const error = failures.get(w.row.Id);
    if (error) {
      outcomes.push({ sfId: w.row.Id, outcome: 'failed', error, ...(name && { name }) });
      continue;
    }
    const f = { ...w.state?.f };
    for (const field of w.fields) f[field.sf] = hashOf(w.row, field);
    newStates.set(w.row.Id, { o: 'Account', f });
    outcomes.push({
      sfId: w.row.Id,
      outcome: w.state ? 'updated' : 'new',
      changes: w.fields.map((field) => ({ field: field.sf, old: null, new: w.row[field.sf] ?? null })),
      ...(name && { name }),
    });
  }
  await ctx.commit({
    outcomes,
    states: newStates,
    ...(cursor && { cursor: { key: 'pull:Account', value: cursor } }),
  });
}

/**
 * Persons linked to these accounts: 300 accounts per lookup (Marketo's most filter values), but
 * Marketo refuses a filter matching more than 1,000 persons (1003, api-facts B): then the accounts
 * are halved and asked again, so big accounts cost extra calls and small ones do not.
 */
async function personsOfAccounts(ctx: StepContext, field: string, ids: string[]): Promise<MarketoLead[]> {
  ctx.budget.check();
  try {
    return await ctx.marketo.leads.getByFilter({ filterType: field, filterValues: ids, fields: [field] });
  } catch (error) {
    if (!(error instanceof MarketoApiError && error.code === '1003') || ids.length === 1) throw error;
    const half = Math.ceil(ids.length / 2);
    return [
      ...(await personsOfAccounts(ctx, field, ids.slice(0, half))),
      ...(await personsOfAccounts(ctx, field, ids.slice(half))),
    ];
  }
}
