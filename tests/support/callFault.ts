// An emulator fault armed for the n-th POST to a route (the harness's beforeFetch): "the third
// opportunity write is carried out and its answer lost", "the fourth role write is refused". The
// fault is injected just before that request goes out, so it meets exactly that one.

import type { FaultSpec } from '../../emulator/faults';
import type { Emulator } from '../../emulator/index';

export class CallFault {
  private armed: { route: RegExp; at: number; seen: number; fault: FaultSpec } | undefined;

  constructor(private readonly emulator: () => Emulator) {}

  /** From now on, the `at`-th POST whose URL matches `route` meets `fault`. */
  arm(route: RegExp, at: number, fault: FaultSpec): void {
    this.armed = { route, at, seen: 0, fault };
  }

  disarm(): void {
    this.armed = undefined;
  }

  /** For startSyncHarness's beforeFetch. */
  readonly beforeFetch = (url: string, init?: RequestInit): void => {
    const armed = this.armed;
    if (!armed || (init?.method ?? 'GET') !== 'POST' || !armed.route.test(url)) return;
    if (++armed.seen === armed.at) this.emulator().control.injectFault(armed.fault);
  };
}
