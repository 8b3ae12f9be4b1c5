// The org's rolling 24-hour API allowance, as the last response reported it. Every REST response
// (except /services/data/) carries `Sforce-Limit-Info: api-usage=18/5000`; older orgs add
// `per-app-api-usage=…` and newer ones `api-bursts=…`, so the header is read as `;`-separated
// key=value pairs and unknown keys are ignored (api-facts A3).

export interface ApiUsage {
  used: number;
  max: number;
  /** Clock time (ms) of the response that reported it. */
  at: number;
}

export function parseLimitInfo(header: string | null): { used: number; max: number } | undefined {
  if (!header) return undefined;
  for (const part of header.split(/[;,]/)) {
    const [key, value] = part.split('=', 2).map((s) => s.trim());
    if (key !== 'api-usage' || !value) continue;
    const match = /^(\d+)\/(\d+)/.exec(value);
    if (match) return { used: Number(match[1]), max: Number(match[2]) };
  }
  return undefined;
}

export class ApiUsageTracker {
  private last: ApiUsage | undefined;

  /** The latest used/max seen, or undefined before the first call that reported it. */
  get latest(): ApiUsage | undefined {
    return this.last;
  }

  record(usage: { used: number; max: number }, at: number): void {
    // Parallel calls can finish out of order; keep the newest figure by time, then by usage.
    if (this.last && this.last.at > at) return;
    this.last = { ...usage, at };
  }

  /** Share of the allowance still available, 0..1, or undefined when nothing was reported yet. */
  remainingShare(): number | undefined {
    if (!this.last || this.last.max <= 0) return undefined;
    return Math.max(0, (this.last.max - this.last.used) / this.last.max);
  }
}
