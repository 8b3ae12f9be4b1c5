import type { ComponentChildren } from 'preact';

/** A labelled input with its error next to it (the error carries data-field for tests). */
export function FormField(props: {
  label: string;
  name: string;
  error?: string;
  hint?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={props.name}>{props.label}</label>
      <div class="control">
        {props.children}
        {props.hint && <div class="hint">{props.hint}</div>}
      </div>
      {props.error ? (
        <span class="field-error" data-field={props.name}>
          {props.error}
        </span>
      ) : (
        <span />
      )}
    </div>
  );
}
