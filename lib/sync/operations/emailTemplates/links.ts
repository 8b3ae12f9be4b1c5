// What the log keeps per synced Marketo email (issue 20, docs/email-templates.md): its template,
// the folder it was found in, the approved version last written and last tried, what the sync last
// saw of its approval, whether the template is active, and the hashes of the fields written. Kept
// as one sync state under two keys, written together: `email:<id>` (the engine finds an email's
// template, and every synced email, by this prefix) and the template's id (its record panel).
import type { LogDatabase } from '../../../db/logPort';
import { loadStates } from '../../../db/syncState';
import type { SyncState } from '../../../db/syncStateTypes';

export const EMAIL_KEY_PREFIX = 'email:';
export const emailKey = (emailId: number) => `${EMAIL_KEY_PREFIX}${emailId}`;

/** Cursor rows: the last complete check (JSON), and the emails a create call was for (JSON list). */
export const EMAIL_CURSORS = {
  checked: 'push:email-templates:checked',
  intent: 'intent:push:email-templates',
};

/** What the sync last saw of the email in Marketo. */
export type Approval = 'approved' | 'unapproved' | 'deleted' | 'moved';

/** The content fields a template gets from its email. */
export const CONTENT_FIELDS = ['Name', 'Subject', 'HtmlValue', 'Body'] as const;
export type ContentField = (typeof CONTENT_FIELDS)[number];

export interface EmailLink {
  emailId: number;
  templateId: string;
  /** `Folder:<id>` or `Program:<id>`: where the email was when last seen approved. */
  folder: string;
  /**
   * updatedAt of the approved version the template holds (absent while its content is owed), with
   * a "*" while that version could still be replaced within its second (writtenMark).
   */
  written?: string;
  /** updatedAt of the approved version last tried (written, or refused). */
  tried?: string;
  approval: Approval;
  active: boolean;
  /** The template was made without its content (Salesforce refused it): Push New still owes it. */
  owed: boolean;
  /** The template was deleted in Salesforce: written again only once its email changes. */
  gone?: boolean;
  /** Marketo refused the full-content read (not a 1.0 email): read its sections straight away. */
  sections: boolean;
  hashes: Partial<Record<ContentField, string>>;
}

export function linkState(link: EmailLink): SyncState {
  const hashes: Record<string, string> = {
    '@email': String(link.emailId),
    '@template': link.templateId,
    '@folder': link.folder,
    '@approval': link.approval,
    '@active': link.active ? '1' : '0',
  };
  if (link.written) hashes['@written'] = link.written;
  if (link.tried) hashes['@tried'] = link.tried;
  if (link.owed) hashes['@owed'] = '1';
  if (link.sections) hashes['@sections'] = '1';
  if (link.gone) hashes['@gone'] = '1';
  for (const f of CONTENT_FIELDS) if (link.hashes[f]) hashes[f] = link.hashes[f]!;
  return { sobject: 'EmailTemplate', hashes };
}

export function linkOf(state: SyncState | undefined): EmailLink | undefined {
  const h = state?.hashes;
  if (!h?.['@email'] || !h['@template']) return undefined;
  const hashes: EmailLink['hashes'] = {};
  for (const f of CONTENT_FIELDS) if (h[f]) hashes[f] = h[f];
  return {
    emailId: Number(h['@email']),
    templateId: h['@template'],
    folder: h['@folder'] ?? '',
    ...(h['@written'] && { written: h['@written'] }),
    ...(h['@tried'] && { tried: h['@tried'] }),
    approval: (h['@approval'] as Approval | undefined) ?? 'approved',
    active: h['@active'] !== '0',
    owed: h['@owed'] === '1',
    sections: h['@sections'] === '1',
    ...(h['@gone'] === '1' && { gone: true }),
    hashes,
  };
}

/** The states a commit writes for these links: each under both of its keys. */
export function linkStates(links: readonly EmailLink[]): Map<string, SyncState> {
  const states = new Map<string, SyncState>();
  for (const link of links) {
    const state = linkState(link);
    states.set(emailKey(link.emailId), state);
    states.set(link.templateId, state);
  }
  return states;
}

/** Every synced email's link, by email id: the `email:` state keys of the batch rows and the archive. */
export async function loadLinks(db: LogDatabase): Promise<Map<number, EmailLink>> {
  const keys = new Set<string>();
  const collect = (key: unknown) => {
    if (typeof key === 'string' && key.endsWith('~')) keys.add(key.slice(0, -1));
    else if (typeof key === 'string') keys.add(key);
  };
  await db.recordEvents.where('sfIds').startsWith(EMAIL_KEY_PREFIX).eachKey(collect);
  await db.syncState.where('sfIds').startsWith(EMAIL_KEY_PREFIX).eachKey(collect);
  const links = new Map<number, EmailLink>();
  for (const state of (await loadStates(db, [...keys])).values()) {
    const link = linkOf(state);
    if (link) links.set(link.emailId, link);
  }
  return links;
}

/**
 * Marketo's updatedAt has whole seconds: a version approved in the second the check read it could
 * be replaced by another approval in that same second with the same updatedAt. Such a version is
 * marked unsettled ("*"), so the next check reads its content once more (and logs nothing when it
 * is the same), as the Salesforce pulls read their last second again (docs/engine-cursors.md).
 */
export function writtenMark(updatedAt: string, checkAt: number): string {
  return Date.parse(updatedAt) >= Math.floor(checkAt / 1000) * 1000 ? `${updatedAt}*` : updatedAt;
}

export const folderKey = (ref: { id: number; type: 'Folder' | 'Program' }) => `${ref.type}:${ref.id}`;
