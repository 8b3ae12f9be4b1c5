// A marketer's work between the demo's cycles (issue 20): a new email approved in the demo's
// "Sales Emails" folder, and another one edited and approved again, so that the next cycle's Push
// New and Push Updates of Email Template have a template to make and one to update.
import type { Emulator } from './index';
import { DEMO_EMAIL_FOLDER } from './seeds/demoEmails';

export function simulateEmailEdits(emulator: Emulator, round: number): number {
  const folder = [...emulator.marketo.store.emails.folders.values()].find(
    (f) => f.name === DEMO_EMAIL_FOLDER,
  );
  if (!folder) return 0;
  emulator.control.mkEmail({
    action: 'create',
    name: `Demo round ${round}: customer story`,
    folder: { id: folder.id, type: 'Folder' },
    subject: `What Acme customers did this month (${round})`,
    html: `<p>Round ${round}: three customers, three results.</p>`,
    fromName: 'Acme Marketing',
    fromEmail: 'marketing@acme.example',
    replyEmail: 'sales@acme.example',
  });
  const caseStudy = emulator.control
    .mkEmail({ action: 'list' })
    .emails?.find((e) => e.name === 'Case Study: Globex' && e.approved);
  if (!caseStudy) return 1;
  emulator.control.mkEmail({
    action: 'edit',
    id: caseStudy.id,
    html: `<p>Globex moved 40 dashboards to Acme in a week (updated, round ${round}).</p>`,
  });
  emulator.control.mkEmail({ action: 'approve', id: caseStudy.id });
  return 2;
}
