import type { PreflightFinding } from '../lib/messaging/connectionViews';

const KIND_LABEL: Record<PreflightFinding['kind'], string> = {
  'object-unreadable': 'cannot read object',
  'object-read-only': 'cannot edit object',
  'field-unreadable': 'cannot read field',
  'field-read-only': 'cannot update field',
  'formula-field': 'formula field',
  'filter-field-missing': 'filter field missing',
  'filter-field-not-checkbox': 'filter field not a checkbox',
};

/** What the sync user cannot do, each with the fix (usually: the Salesforce admin changes permissions). */
export function PreflightFindings({ findings }: { findings: PreflightFinding[] }) {
  if (findings.length === 0) {
    return <p class="preflight-ok">Pre-flight: the sync user can read and update every mapped field.</p>;
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  return (
    <div class="preflight">
      <h4>
        Pre-flight: {findings.length} finding{findings.length === 1 ? '' : 's'}
        {errors > 0 && <span class="muted"> ({errors} will make records fail)</span>}
      </h4>
      <table class="findings">
        <thead>
          <tr>
            <th>What</th>
            <th>Where</th>
            <th>Problem</th>
            <th>What to do</th>
          </tr>
        </thead>
        <tbody>
          {findings.map((f) => (
            <tr key={`${f.kind}:${f.object}:${f.field ?? ''}`} data-kind={f.kind} data-field={f.field}>
              <td>
                <span class={`status ${f.severity === 'error' ? 'status-bad' : 'status-warn'}`}>
                  {KIND_LABEL[f.kind]}
                </span>
              </td>
              <td class="where">
                {f.object}
                {f.field && `.${f.field}`}
              </td>
              <td>{f.message}</td>
              <td>{f.fix}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
