import { useLayoutEffect, useState } from 'preact/hooks';
import { dexieLive, type LiveSubscribe } from './logSource';

export type LiveState<T> = { value?: T; error?: Error };

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/** A live query subscribed before the component showing it renders (see startLiveQuery). */
export interface StartedLiveQuery<T> {
  /** The latest answer, `{}` before the first. */
  readonly state: LiveState<T>;
  /** Settles with the first answer (value or error). */
  readonly answered: Promise<void>;
  /** Sends each later answer to `listener` (one listener: the component that took it over). */
  listen(listener: (state: LiveState<T>) => void): void;
  stop(): void;
}

/**
 * Subscribes to a live query now, for a component that renders later: the popup starts its first
 * window with the script, and the table's hook takes the same subscription over, so the first
 * rows are read once and rendered once (a second query of the same window would answer a second,
 * equal result and re-render the table).
 */
export function startLiveQuery<T>(query: () => Promise<T>): StartedLiveQuery<T> {
  let state: LiveState<T> = {};
  let listener: ((state: LiveState<T>) => void) | undefined;
  let answer: () => void;
  const answered = new Promise<void>((resolve) => {
    answer = resolve;
  });
  const update = (next: LiveState<T>) => {
    state = next;
    answer();
    listener?.(next);
  };
  const subscription = dexieLive(query, {
    next: (value) => update({ value }),
    error: (error: unknown) => update({ error: asError(error) }),
  });
  return {
    get state() {
      return state;
    },
    answered,
    listen: (next) => {
      listener = next;
    },
    stop: () => {
      listener = undefined;
      subscription.unsubscribe();
    },
  };
}

/**
 * Subscribes a component to a Dexie live query: it re-renders whenever the rows the query read
 * change (also when the service worker writes them). `undefined` until the first result.
 *
 * It subscribes in a layout effect, right after the render that changed `deps`: a passive effect
 * runs only after the next frame, so every new query (first open, filter change) started one frame
 * late. `started`, when given on the first render, is this query already subscribed (startLiveQuery):
 * it is taken over instead of starting a second one; later deps start new queries. `live` is how the
 * query follows the log: Dexie's liveQuery, or a poll of the service's log (components/logSource.ts).
 */
export function useLiveQuery<T>(
  query: () => Promise<T>,
  deps: unknown[],
  started?: StartedLiveQuery<T>,
  live: LiveSubscribe = dexieLive,
): LiveState<T> {
  const [state, setState] = useState<LiveState<T>>(() => started?.state ?? {});
  useLayoutEffect(() => {
    if (started) {
      started.listen(setState);
      setState(started.state); // an answer between the first render and this effect
      return () => started.stop();
    }
    const subscription = live(query, {
      next: (value) => setState({ value }),
      error: (error: unknown) => setState({ error: asError(error) }),
    });
    return () => subscription.unsubscribe();
  }, deps);
  return state;
}
