// A sync harness with email templates switched on (issue 20): a Marketo folder of emails and a
// Salesforce Email folder, chosen in the settings, plus helpers to act as a marketer and to read
// the templates back. Shared by the email template integration tests.
import type { EmailCommand } from '../../emulator/marketo/emailControl';
import { DESIGN_STUDIO_EMAILS } from '../../emulator/marketo/emailStore';
import { type SyncHarness, startSyncHarness } from '../integration/sync-harness';

export interface EmailWorld {
  h: SyncHarness;
  /** The chosen Marketo folder, and one the settings leave out. */
  folder: number;
  otherFolder: number;
  /** The Salesforce folder templates go to. */
  sfFolder: string;
  email(command: EmailCommand): number;
  /** Creates an approved email in the chosen folder (or `folder`), one section. */
  approved(name: string, html?: string, extra?: Partial<Extract<EmailCommand, { action: 'create' }>>): number;
  templates(): Record<string, unknown>[];
  templateOf(emailId: number): Record<string, unknown> | undefined;
}

export async function startEmailWorld(
  options: Parameters<typeof startSyncHarness>[0] = {},
  /** Sees each request before it is sent (a dying worker's cut-off). */
  beforeFetch?: Parameters<typeof startSyncHarness>[2],
): Promise<EmailWorld> {
  const h = await startSyncHarness({ seed: 'empty', ...options }, undefined, beforeFetch);
  const email = (command: EmailCommand) => h.emu.control.mkEmail(command).id ?? 0;
  const folder = email({ action: 'createFolder', name: 'Sales Emails', parentId: DESIGN_STUDIO_EMAILS });
  const otherFolder = email({ action: 'createFolder', name: 'Newsletters', parentId: DESIGN_STUDIO_EMAILS });
  const sfFolder = h.emu.control.sfCreate({
    object: 'Folder',
    fields: { Name: 'Marketo Emails', DeveloperName: 'Marketo_Emails', Type: 'Email', AccessType: 'Public' },
    asUser: 'admin',
  }).id;
  h.settings.objects.EmailTemplate!.enabled = true;
  h.settings.emailTemplates = {
    marketoFolders: [{ id: folder, type: 'Folder', name: 'Sales Emails' }],
    salesforceFolderId: sfFolder,
    salesforceFolderName: 'Marketo Emails',
  };
  const templates = () =>
    (h.emu.control.snapshot().salesforce.EmailTemplate ?? []).filter((t) => !t.IsDeleted);
  return {
    h,
    folder,
    otherFolder,
    sfFolder,
    email,
    approved: (name, html = `<p>${name}</p>`, extra = {}) =>
      email({
        action: 'create',
        name,
        folder: { id: folder, type: 'Folder' },
        subject: `${name} subject`,
        html,
        ...extra,
      }),
    templates,
    templateOf: (emailId) => templates().find((t) => t.DeveloperName === `Marketo_Email_${emailId}`),
  };
}
