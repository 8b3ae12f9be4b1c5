// Ports injected into the API clients so that lib/ never touches chrome.* and runs in Node.

export type FetchPort = (input: string, init?: RequestInit) => Promise<Response>;

export interface ClockPort {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: ClockPort = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Calls spent per side and per endpoint, so a cycle can report what it cost. */
export class ApiCallCounter {
  private readonly counts = new Map<string, number>();

  add(side: 'salesforce' | 'marketo', endpoint: string): void {
    const key = `${side} ${endpoint}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  total(side?: 'salesforce' | 'marketo'): number {
    let sum = 0;
    for (const [key, n] of this.counts) if (!side || key.startsWith(`${side} `)) sum += n;
    return sum;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset(): void {
    this.counts.clear();
  }
}
