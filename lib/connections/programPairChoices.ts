// The campaigns (with their member statuses) and the programs (with their channel's statuses) the
// options page offers for campaign ⇄ program pairs (issue 17). Read with the stored connections,
// like the mapping editor's fields (salesforceTest.ts objectFields); each side's failure is
// reported without hiding the other side.
import type { CampaignChoice, ProgramChoice, ProgramPairChoicesView } from '../messaging/programPairViews';
import { buildMarketoClient } from './clients';
import { type ConnectionPorts, clientPorts } from './ports';
import { storedSalesforceClient } from './salesforceTest';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
/** Campaigns offered at most (newest first): an options list, not a report. */
const MAX_CAMPAIGNS = 500;

async function campaigns(ports: ConnectionPorts): Promise<CampaignChoice[]> {
  const stored = await storedSalesforceClient(ports);
  if (!stored.ok) throw new Error(stored.error);
  const rows: CampaignChoice[] = [];
  for await (const page of stored.client.query(
    `SELECT Id, Name, Type FROM Campaign ORDER BY CreatedDate DESC LIMIT ${MAX_CAMPAIGNS}`,
  ))
    for (const r of page.records)
      rows.push({
        id: String(r.Id),
        name: String(r.Name ?? ''),
        type: r.Type ? String(r.Type) : null,
        statuses: [],
      });
  const byId = new Map(rows.map((c) => [c.id, c]));
  for (let i = 0; i < rows.length; i += 200) {
    const ids = rows.slice(i, i + 200).map((c) => `'${c.id}'`);
    for await (const page of stored.client.query(
      `SELECT CampaignId, Label FROM CampaignMemberStatus WHERE CampaignId IN (${ids.join(',')}) ORDER BY SortOrder`,
    ))
      for (const r of page.records) byId.get(String(r.CampaignId))?.statuses.push(String(r.Label));
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

async function programs(ports: ConnectionPorts): Promise<ProgramChoice[]> {
  const mk = (await ports.store.getConnections()).marketo;
  const secret = (await ports.store.getSecrets()).marketo.clientSecret;
  if (!mk.restEndpoint || !mk.clientId || !secret) throw new Error('Marketo is not connected yet (Step 2).');
  const client = buildMarketoClient(
    { endpoint: mk.restEndpoint, clientId: mk.clientId, clientSecret: secret },
    clientPorts(ports),
  );
  const channels = await client.programs.channels();
  const statusesOf = new Map(
    channels.map((c) => [
      c.name,
      [...c.progressionStatuses].sort((a, b) => a.step - b.step).map((s) => s.name),
    ]),
  );
  const out: ProgramChoice[] = [];
  for await (const page of client.programs.browse())
    for (const p of page)
      out.push({
        id: p.id,
        name: p.name,
        channel: p.channel,
        statuses: statusesOf.get(p.channel) ?? [],
        ...(typeof p.sfdcId === 'string' && { sfdcId: p.sfdcId }),
      });
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export async function programPairChoices(ports: ConnectionPorts): Promise<ProgramPairChoicesView> {
  const [sf, mk] = await Promise.allSettled([campaigns(ports), programs(ports)]);
  const errors = [sf, mk].flatMap((r) => (r.status === 'rejected' ? [message(r.reason)] : []));
  return {
    campaigns: sf.status === 'fulfilled' ? sf.value : [],
    programs: mk.status === 'fulfilled' ? mk.value : [],
    ...(errors.length && { error: errors.join(' ') }),
  };
}
