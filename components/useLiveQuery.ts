import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';

/**
 * Subscribes a component to a Dexie live query: it re-renders whenever the rows the query read
 * change (also when the service worker writes them). `undefined` until the first result.
 */
export function useLiveQuery<T>(query: () => Promise<T>, deps: unknown[]): { value?: T; error?: Error } {
  const [state, setState] = useState<{ value?: T; error?: Error }>({});
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({
      next: (value) => setState({ value }),
      error: (error: unknown) =>
        setState({ error: error instanceof Error ? error : new Error(String(error)) }),
    });
    return () => subscription.unsubscribe();
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists the query's inputs
  }, deps);
  return state;
}
