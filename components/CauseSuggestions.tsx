import { useState } from 'preact/hooks';
import { causeSuggestions, suggestable } from '../lib/dashboard/causeSuggestions';
import type { ErrorCause } from '../lib/dashboard/errorCauses';
import type { LogDatabase } from '../lib/db/logPort';
import type { SendMessage } from '../lib/messaging/client';
import { describeIssues } from '../lib/settings/issues';
import type { ValueRule } from '../lib/settings/schema';
import type { SettingsStore } from '../lib/settings/store';
import { announce } from './announce';
import { retryText } from './retryText';
import { useLiveQuery } from './useLiveQuery';

interface Props {
  cause: ErrorCause;
  db: LogDatabase;
  send: SendMessage;
  store: SettingsStore;
  valueRules: readonly ValueRule[];
}

/**
 * Value-fix suggestions of a cause card (docs/dashboard-errors.md): each refused value with the
 * value Salesforce would take; "Use it" saves a value rule (applied to Marketo → Salesforce writes
 * of that field from now on, listed and removable under Options) and retries the cause's records now.
 */
export function CauseSuggestions({ cause, db, send, store, valueRules }: Props) {
  const able = suggestable(cause);
  const { value: suggestions } = useLiveQuery(
    () => (able ? causeSuggestions(db, cause, valueRules) : Promise.resolve([])),
    [cause, valueRules],
  );
  const [status, setStatus] = useState('');
  // The status stays once the suggestions are gone (their records no longer fail).
  if (!able || (!suggestions?.length && !status)) return null;

  async function accept(rule: ValueRule) {
    try {
      // The store validates the settings as a whole and writes nothing when they are invalid.
      const saved = await store.updateSettings({
        valueRules: [...(await store.getSettings()).valueRules, rule],
      });
      if (!saved.ok) throw new Error(`Value rule not saved: ${describeIssues(saved.errors)}`);
      const retry = await send('retryCause', { cause: cause.key });
      const text = `Value rule saved: ${rule.field} “${rule.from}” is written as “${rule.to}”. ${retryText(retry)}`;
      setStatus(text);
      announce(text);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      setStatus(text);
      announce(text);
    }
  }

  return (
    <div class="suggestions">
      <b>Suggested value fixes</b>
      <ul>
        {(suggestions ?? []).map((s) => (
          <li key={s.from} data-from={s.from}>
            <span>
              {s.field}: “{s.from}” → “{s.to}”{' '}
              <span class="muted">
                ({s.records} record{s.records === 1 ? '' : 's'}; {s.why})
              </span>
            </span>
            {s.accepted ? (
              <span class="muted">Value rule in place: written as “{s.to}” on the next retry.</span>
            ) : (
              <button
                type="button"
                class="accept-suggestion"
                onClick={() =>
                  accept({ object: s.object as ValueRule['object'], field: s.field, from: s.from, to: s.to })
                }
              >
                Use “{s.to}” for all
              </button>
            )}
          </li>
        ))}
      </ul>
      {status && <p class="muted">{status}</p>}
    </div>
  );
}
