// The folders the options page offers for email templates (issue 20): Marketo's Design Studio email
// folders and Marketing Activities programs (folders.md: find each root by name, then browse under
// it), and Salesforce's folders of type Email. Read with the stored connections, like the campaign
// and program choices; each side's failure is reported without hiding the other side.
import type { EmailFolderChoicesView, MarketoFolderChoice } from '../messaging/emailFolderViews';
import { buildMarketoClient } from './clients';
import { type ConnectionPorts, clientPorts } from './ports';
import { storedSalesforceClient } from './salesforceTest';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
/** Folder levels read below each root (Design Studio/Emails/…, Marketing Activities/…/programs). */
const MAX_DEPTH = 6;
const ROOTS = ['Design Studio', 'Marketing Activities'];
/** Folder types that hold emails: Design Studio email folders, and programs. */
const HOLDS_EMAILS = new Set(['Email', 'Program']);

async function salesforceFolders(ports: ConnectionPorts) {
  const stored = await storedSalesforceClient(ports);
  if (!stored.ok) throw new Error(stored.error);
  const rows: { id: string; name: string }[] = [];
  for await (const page of stored.client.query(
    "SELECT Id, Name FROM Folder WHERE Type = 'Email' ORDER BY Name LIMIT 1000",
  ))
    for (const r of page.records) rows.push({ id: String(r.Id), name: String(r.Name ?? '') });
  return rows;
}

async function marketoFolders(ports: ConnectionPorts): Promise<MarketoFolderChoice[]> {
  const mk = (await ports.store.getConnections()).marketo;
  const secret = (await ports.store.getSecrets()).marketo.clientSecret;
  if (!mk.restEndpoint || !mk.clientId || !secret) throw new Error('Marketo is not connected yet (Step 2).');
  const client = buildMarketoClient(
    { endpoint: mk.restEndpoint, clientId: mk.clientId, clientSecret: secret },
    clientPorts(ports),
  );
  const out = new Map<string, MarketoFolderChoice>();
  for (const name of ROOTS)
    for (const root of await client.emails.foldersByName(name)) {
      if (root.folderId.type.toLowerCase() !== 'folder') continue;
      for (const f of await client.emails.folders({ id: root.id, type: 'Folder' }, MAX_DEPTH)) {
        if (!HOLDS_EMAILS.has(f.folderType ?? '')) continue;
        const type = f.folderId.type.toLowerCase() === 'program' ? 'Program' : 'Folder';
        out.set(`${type}:${f.id}`, { id: f.id, type, name: f.name, path: f.path ?? f.name });
      }
    }
  return [...out.values()].sort((a, b) => a.path.localeCompare(b.path));
}

export async function emailFolderChoices(ports: ConnectionPorts): Promise<EmailFolderChoicesView> {
  const [mk, sf] = await Promise.allSettled([marketoFolders(ports), salesforceFolders(ports)]);
  const errors = [mk, sf].flatMap((r) => (r.status === 'rejected' ? [message(r.reason)] : []));
  return {
    marketo: mk.status === 'fulfilled' ? mk.value : [],
    salesforce: sf.status === 'fulfilled' ? sf.value : [],
    ...(errors.length && { error: errors.join(' ') }),
  };
}
