import { type ComponentChildren, cloneElement, isValidElement, toChildArray } from 'preact';

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
  const describedBy = [props.error && errorId, props.hint && hintId].filter(Boolean).join(' ') || undefined;
  const children = toChildArray(props.children).map((child) =>
    isValidElement(child) && (child.type === 'input' || child.type === 'select')
      ? cloneElement(child, {
          'aria-invalid': props.error ? true : undefined,
          'aria-describedby': describedBy,
        })
      : child,
  );
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={props.name}>{props.label}</label>
      <div class="control">
        {children}
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
