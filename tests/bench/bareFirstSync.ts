// The bare script the engine's first sync is measured against: the same HTTP calls a leads-only
// first sync makes (describes, the Lead query in SystemModstamp order, Marketo writes of 300), with no
// engine around them: no log, no hashes, no outcomes. Shared by the Node bench (engine.bench.ts) and
// the page side of the Chromium one (engineWorkerPage.ts), so both compare against the same work.
import type { MarketoClient } from '../../lib/marketo';
import type { SalesforceClient } from '../../lib/salesforce/client';
import type { SyncSettings } from '../../lib/settings/schema';

export interface BareClients {
  salesforce: SalesforceClient;
  marketo: MarketoClient;
  settings: SyncSettings;
}

/** Runs the bare first sync; resolves with its elapsed ms and the persons written. */
export async function bareFirstSync(r: BareClients): Promise<{ ms: number; written: number }> {
  const started = performance.now();
  // The engine's own field list: the default Lead mapping, minus what describe does not offer.
  const described = new Set(
    (await r.salesforce.describe('Lead')).value.fields.filter((f) => !f.calculated).map((f) => f.name),
  );
  const mk = await r.marketo.leads.describe();
  const writable = new Set(mk.fields.filter((f) => f.updateable).map((f) => f.name));
  const mapped = (r.settings.objects.Lead?.fields ?? []).filter(
    (f) =>
      f.direction !== 'push' &&
      f.direction !== 'none' &&
      described.has(f.salesforceField) &&
      writable.has(f.marketoField),
  );
  const soql = `SELECT Id, SystemModstamp, IsConverted, ConvertedContactId, Do_Not_Sync_to_Marketo__c, ${mapped
    .map((f) => f.salesforceField)
    .join(', ')} FROM Lead ORDER BY SystemModstamp, Id`;
  // Writes of 300 across page ends, as the engine makes them (2,000-row pages do not split in 300s).
  let input: Record<string, unknown>[] = [];
  let written = 0;
  const write = async () => {
    await r.marketo.leads.sync({ action: 'createOrUpdate', lookupField: 'sfdcLeadIdCustom', input });
    written += input.length;
    input = [];
  };
  for await (const page of r.salesforce.query(soql)) {
    for (const row of page.records) {
      const values: Record<string, unknown> = { sfdcLeadIdCustom: row.Id, sfdcTypeCustom: 'Lead' };
      for (const f of mapped)
        values[f.marketoField] = (row as Record<string, unknown>)[f.salesforceField] ?? null;
      input.push(values);
      if (input.length === 300) await write();
    }
  }
  if (input.length) await write();
  return { ms: performance.now() - started, written };
}
