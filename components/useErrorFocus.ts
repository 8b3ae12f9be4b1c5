import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';
import { announce } from './announce';

/**
 * After a refused submit: says `message` through the page's live region and moves focus to the
 * first field marked aria-invalid inside `form` (the admin lands on what to fix, not on Save).
 * `attempt` changes with each refused submit, so a second refusal moves focus again.
 */
export function useErrorFocus(
  form: RefObject<HTMLElement | null>,
  attempt: number,
  message: string | undefined,
) {
  useEffect(() => {
    if (!attempt || !message) return;
    announce(message);
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);
}
