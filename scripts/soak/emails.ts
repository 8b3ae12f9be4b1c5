// Email templates in the soak (issue 20): a marketer writes, edits, approves, unapproves, moves and
// deletes emails of one Marketo folder (and an archive folder the settings leave out), with the
// soak's hostile texts as subjects and bodies — some of which Salesforce refuses. The folder and
// its Salesforce email folder are made, and chosen in the settings, by the first email action.
//
// The judge: every approved email of the folder has exactly one template, active, with the approved
// subject, HTML and text (as Salesforce stores text: trimmed), unless its template is shown Failed
// with a reason (content Salesforce refuses); every other email's template is inactive; no email
// has two templates, and no template the sync made has gone.
import type { Emulator } from '../../emulator/index';
import type { EmailView } from '../../emulator/marketo/emailControl';
import { DESIGN_STUDIO_EMAILS } from '../../emulator/marketo/emailStore';
import type { LogDatabase } from '../../lib/db/logPort';
import { getRecordStatus } from '../../lib/db/recordStatus';
import { recordStatusView } from '../../lib/records/statusView';
import type { SyncSettings } from '../../lib/settings/schema';
import { salesforceTrim } from '../../lib/sync/hash';

export interface EmailAction {
  kind: 'email';
  op: number;
  record: number;
  variant: number;
}

const FOLDER = 'Soak Emails';
const ARCHIVE = 'Soak Archive';
const OPS = [
  'create',
  'approve again',
  'edit draft',
  'unapprove',
  'approve',
  'delete',
  'move out',
  'move in',
  'create 2.0',
] as const;
/** Texts a marketer types; the last ones Salesforce refuses (an open merge field, a long subject). */
const TEXTS = [
  'Spring offer',
  'Zoë Ångström-Łukasz',
  'Launch 🚀 team',
  `O'Brien "The Rock" <b>bold</b> & co`,
  '  padded on both sides  ',
  'line one\nline two',
  'Hi {{lead.First Name:default=there}}',
  'Dear {!Contact.FirstName}, thanks',
  'Dear {!Contact.FirstName, thanks',
  'Ü'.repeat(300),
];

/** The soak's folders, made and chosen on first use. */
function ensureFolders(emu: Emulator, settings: SyncSettings): { folder: number; archive: number } {
  const folders = [...emu.marketo.store.emails.folders.values()];
  const find = (name: string) => folders.find((f) => f.name === name)?.id;
  const make = (name: string) =>
    emu.control.mkEmail({ action: 'createFolder', name, parentId: DESIGN_STUDIO_EMAILS }).id!;
  const folder = find(FOLDER) ?? make(FOLDER);
  const archive = find(ARCHIVE) ?? make(ARCHIVE);
  if (!settings.objects.EmailTemplate?.enabled) {
    // The marketer's library when the sync is switched on: three approved emails (one refused).
    for (const text of [TEXTS[0]!, TEXTS[6]!, TEXTS[8]!])
      emu.control.mkEmail({
        action: 'create',
        name: `Soak email ${emu.marketo.store.emails.emails.size + 1}`,
        folder: { id: folder, type: 'Folder' },
        subject: text,
        html: `<p>${text}</p>`,
        text,
      });
    const sfFolder = emu.control.sfCreate({
      object: 'Folder',
      fields: { Name: 'Soak Templates', DeveloperName: 'Soak_Templates', Type: 'Email' },
      asUser: 'admin',
    }).id;
    settings.objects.EmailTemplate = { enabled: true, conflictWinner: 'salesforce', fields: [] };
    settings.emailTemplates = {
      marketoFolders: [{ id: folder, type: 'Folder', name: FOLDER }],
      salesforceFolderId: sfFolder,
      salesforceFolderName: 'Soak Templates',
    };
  }
  return { folder, archive };
}

const emailsIn = (emu: Emulator, ids: number[]) =>
  (emu.control.mkEmail({ action: 'list' }).emails ?? []).filter((e) => ids.includes(e.folder.id));

export function applyEmailAction(emu: Emulator, settings: SyncSettings, a: EmailAction): string {
  const { folder, archive } = ensureFolders(emu, settings);
  const op = OPS[a.op % OPS.length]!;
  const text = TEXTS[a.variant % TEXTS.length]!;
  const html = `<p>${text}</p>`;
  try {
    if (op === 'create' || op === 'create 2.0') {
      const count = emu.marketo.store.emails.emails.size;
      const id = emu.control.mkEmail({
        action: 'create',
        name: `Soak email ${count + 1}`,
        folder: { id: folder, type: 'Folder' },
        subject: text,
        html,
        text,
        ...(op === 'create 2.0' && { version: 2 as const }),
      }).id;
      return `Marketo: email ${id} approved (${JSON.stringify(text.slice(0, 30))})`;
    }
    const pool = emailsIn(emu, [folder, archive]);
    const email = pool[a.record % Math.max(1, pool.length)];
    if (!email) return `email ${op}: no email`;
    const id = email.id;
    if (op === 'approve again' || op === 'edit draft') {
      emu.control.mkEmail({ action: 'edit', id, subject: text, html, text });
      if (op === 'approve again') emu.control.mkEmail({ action: 'approve', id });
    } else if (op === 'unapprove' || op === 'approve' || op === 'delete')
      emu.control.mkEmail({ action: op, id });
    else
      emu.control.mkEmail({
        action: 'move',
        id,
        folder: { id: op === 'move out' ? archive : folder, type: 'Folder' },
      });
    return `Marketo: email ${id} ${op}${op.includes('approve again') || op === 'edit draft' ? ` (${JSON.stringify(text.slice(0, 30))})` : ''}`;
  } catch (error) {
    // Marketo's own UI refuses it too (nothing to approve, not approved…): the marketer gives up.
    return `Marketo refused email ${op}: ${(error as Error).message}`;
  }
}

export interface EmailVerdict {
  lost: string[];
  duplicated: string[];
  drifted: string[];
  failed: string[];
}

const EMAIL_ID = /^Marketo_Email_(\d+)$/i;

/** Adds what it finds to the soak's verdict `v`. */
export async function judgeEmails(
  v: EmailVerdict,
  emu: Emulator,
  db: LogDatabase,
  settings: SyncSettings,
): Promise<void> {
  const chosen = settings.emailTemplates.marketoFolders[0];
  if (!settings.objects.EmailTemplate?.enabled || !chosen) return;
  const byEmail = new Map<number, Record<string, unknown>[]>();
  for (const t of emu.salesforce.store.tables.get('EmailTemplate')?.records.values() ?? []) {
    const match = EMAIL_ID.exec(String(t.DeveloperName ?? ''));
    if (!match) continue;
    if (t.IsDeleted) v.lost.push(`template ${t.Id} of email ${match[1]} was deleted`);
    const list = byEmail.get(Number(match[1])) ?? [];
    list.push(t);
    byEmail.set(Number(match[1]), list);
  }
  const emails = new Map<number, EmailView>(
    (emu.control.mkEmail({ action: 'list' }).emails ?? []).map((e) => [e.id, e]),
  );
  const failedWithReason = async (id: string) => {
    const view = recordStatusView('EmailTemplate', await getRecordStatus(db, id, { limit: 5 }));
    return view.state === 'failed' && view.lastError?.message ? view.lastError.message : undefined;
  };
  for (const [id, list] of byEmail)
    if (list.length > 1) v.duplicated.push(`email ${id}: templates ${list.map((t) => t.Id).join(', ')}`);
  for (const email of emails.values()) {
    const template = byEmail.get(email.id)?.[0];
    const wanted = email.folder.id === chosen.id && email.approved;
    if (!wanted) {
      if (template?.IsActive === true)
        v.drifted.push(
          `email ${email.id} (${email.status}, folder ${email.folder.id}): template ${template.Id} still active`,
        );
      continue;
    }
    const approved = email.approved!;
    if (!template) {
      v.lost.push(`email ${email.id} approved in the folder: no template`);
      continue;
    }
    const reason = await failedWithReason(String(template.Id));
    if (reason) {
      v.failed.push(`email ${email.id}: ${reason}`);
      continue;
    }
    const stored = (text: string) => salesforceTrim(text) || null;
    const diffs: string[] = [];
    if (template.IsActive !== true) diffs.push('inactive');
    if (template.Subject !== stored(approved.subject))
      diffs.push(`Subject ${JSON.stringify(template.Subject)}`);
    if (template.Body !== stored(approved.text)) diffs.push(`Body ${JSON.stringify(template.Body)}`);
    const section = /<div class="mktEditable" id="[^"]*">([\s\S]*?)<\/div>/.exec(approved.html)?.[1] ?? '';
    if (!String(template.HtmlValue ?? '').includes(section)) diffs.push('HtmlValue');
    if (diffs.length)
      v.drifted.push(`email ${email.id} → template ${template.Id} shown synced: ${diffs.join(', ')}`);
  }
  for (const [id, list] of byEmail)
    if (!emails.has(id) && list.some((t) => t.IsActive === true))
      v.drifted.push(`email ${id} deleted in Marketo: template still active`);
}

/** Email actions before one chaos cycle (drawn after the round's other draws). */
export function drawEmailActions(int: (n: number) => number): EmailAction[] {
  return Array.from({ length: int(3) }, () => ({
    kind: 'email' as const,
    op: int(OPS.length),
    record: int(1e9),
    variant: int(TEXTS.length),
  }));
}
