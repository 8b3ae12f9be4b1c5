import type { FailureNote } from './failureNote';

/** The plain reason, with the raw error behind a disclosure (closed by default). */
export function FailureReason({ note }: { note: FailureNote }) {
  return (
    <span class="failure-reason">
      <span class="plain">{note.plain}</span>
      {note.raw && (
        <details>
          <summary>Error details</summary>
          <code>{note.raw}</code>
        </details>
      )}
    </span>
  );
}
