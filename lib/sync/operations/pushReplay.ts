// Push Updates in replay mode (Replay as the sync user, lib/sync/replay.ts): the record's failed
// update is sent again, alone — the fields its pending Push Updates failure owes, with the values
// it could not write and today's value rules — through the same write as every push (pushWrite.ts),
// so the outcome, owed fields, flags and sync state follow the ordinary rules; the raw HTTP
// exchange is kept for the panel.
import { pendingFailures } from '../../db/recordFlags';
import { loadStates } from '../../db/syncState';
import type { SyncState } from '../../db/syncStateTypes';
import type { PackedOutcome } from '../../db/types';
import { SalesforceApiError } from '../../salesforce/errors';
import type { HttpExchange } from '../../salesforce/transport';
import type { StepContext } from '../context';
import { salesforceHash } from '../hash';
import { REPLAYED_OPERATION, type ReplayNote } from '../replay';
import { applyValueRule } from '../valueRules';
import type { PushField } from './pushOwed';
import { owedPush } from './pushOwed';
import { type PushSetup, writePush } from './pushWrite';

export async function replayPush(ctx: StepContext, setup: PushSetup, note: ReplayNote): Promise<void> {
  const notSent = (reason: string) => {
    note.result = { kind: 'not-sent', reason };
  };
  const flags = await ctx.db.records.get(note.sfId);
  const owed = pendingFailures(flags)[REPLAYED_OPERATION]?.owed;
  if (!owed || Object.keys(owed).length === 0)
    return notSent('This record has no failed Marketo → Salesforce update to replay.');
  const entry: SyncState | undefined = (await loadStates(ctx.db, [note.sfId])).get(note.sfId);
  const mktoId = entry?.marketoId ?? flags?.mktoId;
  if (mktoId === undefined) return notSent('This record is not linked to a Marketo person.');
  const mapped = new Map(setup.fields[setup.sobject].map((f) => [f.sf, f]));
  const rules = setup.rules[setup.sobject];
  const write: PushField[] = [];
  for (const [sf, value] of Object.entries(owed)) {
    const field = mapped.get(sf);
    if (!field) continue; // no longer pushed: the next push settles it
    const ruled = applyValueRule(rules, sf, value);
    write.push({
      sf,
      field,
      value: ruled.value,
      hash: salesforceHash(ruled.value),
      ...(ruled.applied && { rule: ruled.applied }),
    });
  }
  if (write.length === 0)
    return notSent(`The fields it failed to write are no longer pushed: ${Object.keys(owed).join(', ')}.`);
  const before = owedPush(entry);
  const held = Object.fromEntries(
    Object.entries(before ?? {}).filter(([sf]) => !write.some((w) => w.sf === sf)),
  );
  const person = { mktoId, sfId: note.sfId, sobject: setup.sobject, entry };
  const plan = { write, held, settles: write.map((w) => w.sf), before };
  const outcomes: PackedOutcome[] = [];
  const states = new Map<string, SyncState | null>();
  let exchange: HttpExchange | undefined;
  const capture = (e: HttpExchange) => {
    exchange = e;
  };
  const fields = write.map((w) => w.sf);
  try {
    await writePush(
      ctx,
      setup.sobject,
      [{ person, plan, numbers: entry?.syncedNumbers }],
      outcomes,
      states,
      capture,
    );
  } catch (error) {
    // Refused as a whole (a field the sync user cannot see, an expired session): the step fails as
    // any push would, with nothing logged for the record; the panel still shows the exchange.
    if (exchange)
      note.result = { kind: 'sent', exchange, outcome: 'failed', fields, error: requestError(error) };
    throw error;
  }
  await ctx.commit({ outcomes, states });
  const outcome = outcomes[0];
  if (!exchange || !outcome) return notSent('Salesforce gave no answer to show.');
  note.result = {
    kind: 'sent',
    exchange,
    outcome: outcome.outcome === 'updated' ? 'updated' : 'failed',
    fields,
    ...(outcome.error && { error: outcome.error }),
    ...(outcome.valueRules && { valueRules: outcome.valueRules }),
  };
}

function requestError(error: unknown) {
  if (error instanceof SalesforceApiError)
    return { code: error.errorCode, message: error.message, fields: [...error.fields] };
  return { code: 'UNKNOWN', message: error instanceof Error ? error.message : String(error), fields: [] };
}
