import { formatDateTime } from '../lib/format/time';
import type { EmailTemplatePanelView } from '../lib/messaging/emailTemplateViews';

const APPROVAL_TEXT: Record<EmailTemplatePanelView['approval'], string> = {
  approved: 'Approved',
  unapproved: 'Unapproved in Marketo',
  deleted: 'Deleted in Marketo',
  moved: 'Moved out of the synced folders',
};

/**
 * An EmailTemplate page's source (issue 20): the Marketo email the sync keeps this template in step
 * with, its approval as last seen, whether the template is available for use, and when Marketo was
 * last checked (hourly at most, so a change made since shows after the next check).
 */
export function EmailTemplateDetails({
  email,
  timeZone,
}: {
  email: EmailTemplatePanelView;
  timeZone?: string;
}) {
  const at = (ms: number) => formatDateTime(ms, timeZone);
  return (
    <section class="email-template" aria-label="Marketo email">
      <dl>
        <dt>Marketo email</dt>
        <dd data-testid="email-source">
          {email.emailName ? `${email.emailName} · ` : ''}
          {email.emailId}
        </dd>
        <dt>Folder</dt>
        <dd>
          {email.folderName}
          {!email.folderChosen && (
            <span class="muted"> (no longer synced: the template is left as it is)</span>
          )}
        </dd>
        <dt>Approval</dt>
        <dd data-testid="email-approval">{APPROVAL_TEXT[email.approval]}</dd>
        <dt>Template</dt>
        <dd data-testid="email-active">
          {email.deletedInSalesforce
            ? 'Deleted in Salesforce; not made again'
            : email.contentOwed
              ? 'Inactive: its content is not written yet (see the error)'
              : email.active
                ? 'Available for use'
                : 'Inactive (its email is not approved in a synced folder)'}
        </dd>
        {email.approvedAt !== undefined && (
          <>
            <dt>Holds the version approved</dt>
            <dd>{at(email.approvedAt)}</dd>
          </>
        )}
        {email.checkedAt !== undefined && (
          <>
            <dt>Marketo last checked</dt>
            <dd>{at(email.checkedAt)} (at most hourly)</dd>
          </>
        )}
      </dl>
      <p class="muted">
        Kept in step by every cycle's check of Marketo; Sync now handles one lead, contact, account or
        campaign pair at a time.
      </p>
    </section>
  );
}
