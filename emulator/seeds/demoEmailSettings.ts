// The demo settings' email templates (issue 20): approved emails of the demo's Marketo folder
// "Sales Emails" become templates in its Salesforce folder "Marketo Emails" (demoEmails.ts).
import type { SyncSettings } from '../../lib/settings/schema';
import type { MarketoStore } from '../marketo';
import type { SalesforceOrg } from '../salesforce/org';
import { DEMO_EMAIL_FOLDER, DEMO_TEMPLATE_FOLDER } from './demoEmails';

export function withDemoEmailTemplates(
  settings: SyncSettings,
  org: SalesforceOrg,
  marketo: MarketoStore,
): void {
  const marketoFolder = [...marketo.emails.folders.values()].find((f) => f.name === DEMO_EMAIL_FOLDER);
  const salesforceFolder = [...org.store.table('Folder').records.values()].find(
    (f) => f.Name === DEMO_TEMPLATE_FOLDER && !f.IsDeleted,
  );
  if (!marketoFolder || !salesforceFolder) return;
  settings.objects.EmailTemplate!.enabled = true;
  settings.emailTemplates = {
    marketoFolders: [{ id: marketoFolder.id, type: 'Folder', name: marketoFolder.name }],
    salesforceFolderId: String(salesforceFolder.Id),
    salesforceFolderName: DEMO_TEMPLATE_FOLDER,
  };
}
