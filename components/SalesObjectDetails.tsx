import type { OpportunityRoleView, RecordStatusView } from '../lib/messaging/views';

/**
 * Opportunity, role, user and custom-object pages (issue 19): the Marketo record the sync writes
 * and why there is no Sync now for one record (whole cycles write these objects).
 */
export function CycleOnlyDetails({ status }: { status: RecordStatusView }) {
  return (
    <section class="cycle-only" aria-label="Marketo record">
      <dl>
        <dt>Marketo record</dt>
        <dd>{status.marketoKey ?? '—'}</dd>
      </dl>
      <p class="muted">
        Synced with every cycle; Sync now handles one lead, contact, account or campaign pair at a time.
      </p>
    </section>
  );
}

/** A Contact page's Opportunity roles section: its roles as written to Marketo. */
export function ContactRolesDetails({ roles }: { roles: OpportunityRoleView[] }) {
  return (
    <section class="contact-roles" aria-label="Opportunity roles in Marketo">
      <h4>Opportunity roles</h4>
      <ul>
        {roles.map((r) => (
          <li key={r.roleId}>
            {r.role} on {r.opportunityName ?? r.opportunityId}
            {r.primary ? ' (primary)' : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
