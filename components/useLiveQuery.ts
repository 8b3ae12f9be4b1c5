import { liveQuery } from 'dexie';
import { useLayoutEffect, useState } from 'preact/hooks';

type LiveState<T> = { value?: T; error?: Error };

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/**
 * Subscribes a component to a Dexie live query: it re-renders whenever the rows the query read
 * change (also when the service worker writes them). `undefined` until the first result.
 *
 * It subscribes in a layout effect, right after the render that changed `deps`: a passive effect
 * runs only after the next frame, so every new query (first open, filter change) started one frame
 * late. `first`, when given, is the same query already started before the first render (the popup
 * starts it with the script); its result is shown unless the live query has answered already.
 */
export function useLiveQuery<T>(query: () => Promise<T>, deps: unknown[], first?: Promise<T>): LiveState<T> {
  const [state, setState] = useState<LiveState<T>>({});
  useLayoutEffect(() => {
    let answered = false;
    first?.then(
      (value) => answered || setState({ value }),
      () => undefined, // the live query reports the same error
    );
    const subscription = liveQuery(query).subscribe({
      next: (value) => {
        answered = true;
        setState({ value });
      },
      error: (error: unknown) => {
        answered = true;
        setState({ error: asError(error) });
      },
    });
    return () => {
      answered = true;
      subscription.unsubscribe();
    };
  }, deps);
  return state;
}
