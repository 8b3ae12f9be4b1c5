// The record panel of an EmailTemplate the sync writes (issue 20, docs/email-templates.md): the
// Marketo email it comes from, the folder, what the sync last saw of the email's approval, whether
// the template is active, the approval the template holds, and when Marketo was last checked (the
// check is at most hourly: a change made since is not known yet). From the log only.
import type { LogDatabase } from '../db/logPort';
import type { SyncState } from '../db/syncStateTypes';
import type { EmailTemplatePanelView } from '../messaging/emailTemplateViews';
import type { SyncSettings } from '../settings/schema';
import { readCursor } from '../sync/cursors';
import { EMAIL_CURSORS, folderKey, linkOf } from '../sync/operations/emailTemplates/links';

export async function emailTemplatePanelView(
  db: LogDatabase,
  settings: SyncSettings,
  state: SyncState | undefined,
  emailName: string | undefined,
): Promise<EmailTemplatePanelView | undefined> {
  const link = linkOf(state);
  if (!link) return undefined;
  const chosen = settings.emailTemplates.marketoFolders.find((f) => folderKey(f) === link.folder);
  const [type, id] = link.folder.split(':');
  const checked = await readCursor(db, EMAIL_CURSORS.checked);
  const checkedAt = checked ? Number(JSON.parse(checked).at) : Number.NaN;
  const approvedAt = link.written ? Date.parse(link.written.replace(/\*$/, '')) : Number.NaN;
  return {
    emailId: link.emailId,
    ...(emailName && { emailName }),
    folderName: chosen?.name || (id ? `${type} ${id}` : '—'),
    folderChosen: !!chosen,
    approval: link.approval,
    active: link.active,
    contentOwed: link.owed,
    ...(Number.isFinite(approvedAt) && { approvedAt }),
    ...(Number.isFinite(checkedAt) && { checkedAt }),
    deletedInSalesforce: link.gone === true,
  };
}
