// The bare script the engine's first sync of opportunities is measured against (opportunities.bench.ts):
// the HTTP calls that sync makes — the describes, the Account, Opportunity and role queries in
// SystemModstamp order, Marketo writes of 300 (companies, opportunities, roles) — with no engine
// around them: no log, no hashes, no outcomes. The contacts' Marketo persons are looked up in a
// map built before the clock starts (the engine reads them from its log).
import type { MarketoClient } from '../../lib/marketo';
import type { SalesforceClient } from '../../lib/salesforce/client';

type Row = Record<string, unknown> & { Id: string };

async function copy(
  salesforce: SalesforceClient,
  soql: string,
  write: (input: Record<string, unknown>[]) => Promise<unknown>,
  toInput: (row: Row) => Record<string, unknown>,
) {
  let input: Record<string, unknown>[] = [];
  for await (const page of salesforce.query(soql)) {
    for (const row of page.records as Row[]) {
      input.push(toInput(row));
      if (input.length === 300) {
        await write(input);
        input = [];
      }
    }
  }
  if (input.length) await write(input);
}

/** Elapsed ms of the bare first sync. */
export async function bareOpportunities(
  salesforce: SalesforceClient,
  marketo: MarketoClient,
  persons: Record<string, unknown>[],
): Promise<number> {
  const personOf = new Map(persons.map((p) => [String(p.sfdcContactIdCustom), p.id]));
  const started = performance.now();
  await salesforce.describe('Opportunity', { fresh: true });
  await salesforce.describe('OpportunityContactRole', { fresh: true });
  await marketo.opportunities.describe();
  await marketo.opportunityRoles.describe();
  await marketo.companies.describe();
  const sync = (object: typeof marketo.companies) => (input: Record<string, unknown>[]) =>
    object.sync({ action: 'createOrUpdate', input });
  await copy(
    salesforce,
    'SELECT Id, SystemModstamp, Name, Type, OwnerId FROM Account ORDER BY SystemModstamp, Id',
    sync(marketo.companies),
    (r) => ({ externalCompanyId: r.Id, company: r.Name, accountType: r.Type ?? null }),
  );
  await copy(
    salesforce,
    'SELECT Id, SystemModstamp, Name, AccountId, OwnerId, CreatedDate, StageName, Amount, CloseDate, Type, LeadSource, Description, IsClosed, IsWon, Probability FROM Opportunity ORDER BY SystemModstamp, Id',
    sync(marketo.opportunities),
    (r) => ({
      externalOpportunityId: r.Id,
      name: r.Name,
      stage: r.StageName,
      amount: r.Amount ?? null,
      closeDate: r.CloseDate,
      type: r.Type ?? null,
      source: r.LeadSource ?? null,
      description: r.Description ?? null,
      isClosed: r.IsClosed,
      isWon: r.IsWon,
      probability: r.Probability ?? null,
      externalCompanyId: r.AccountId ?? null,
      externalCreatedDate: r.CreatedDate,
    }),
  );
  await copy(
    salesforce,
    'SELECT Id, SystemModstamp, OpportunityId, ContactId, Role, IsPrimary, CreatedDate FROM OpportunityContactRole ORDER BY SystemModstamp, Id',
    sync(marketo.opportunityRoles),
    (r) => ({
      externalOpportunityId: r.OpportunityId,
      leadId: personOf.get(String(r.ContactId)),
      role: r.Role ?? 'Unspecified',
      isPrimary: r.IsPrimary === true,
      externalCreatedDate: r.CreatedDate,
    }),
  );
  return performance.now() - started;
}
