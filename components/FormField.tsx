import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

/**
 * A labelled input with its error next to it (the error carries data-field for tests). The input
 * (or select) is marked aria-invalid and described by its error and hint, so that a screen reader
 * says what is wrong when it lands on the field.
 */
export function FormField(props: {
  label: string;
  name: string;
  error?: string;
  hint?: string;
  children: ComponentChildren;
}) {
  const errorId = `${props.name}-error`;
  const hintId = `${props.name}-hint`;
  const describedBy = [props.error && errorId, props.hint && hintId].filter(Boolean).join(' ');
  const control = useRef<HTMLDivElement>(null);
  // Set on the control's element rather than cloned into the child: preact's cloneElement would
  // join the chunk the popup shares with this page, and the popup is at its size budget.
  useLayoutEffect(() => {
    const input = control.current?.querySelector('input, select');
    if (!input) return;
    if (props.error) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    if (describedBy) input.setAttribute('aria-describedby', describedBy);
    else input.removeAttribute('aria-describedby');
  });
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={props.name}>{props.label}</label>
      <div class="control" ref={control}>
        {props.children}
        {props.hint && (
          <div class="hint" id={hintId}>
            {props.hint}
          </div>
        )}
      </div>
      {props.error ? (
        <span class="field-error" id={errorId} data-field={props.name}>
          {props.error}
        </span>
      ) : (
        <span />
      )}
    </div>
  );
}
