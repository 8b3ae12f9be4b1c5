// Per-endpoint call counters for both ports, keyed "METHOD /normalised/path": ids, numeric ids,
// query locators and API versions are replaced by placeholders so a route counts as one key.
import type { Side } from './faults';

const SF_ID = /^[a-zA-Z0-9]{3}[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/;

export function routeKey(method: string, path: string): string {
  const parts = path.split('/').map((seg) => {
    if (/^v\d+\.\d+$/.test(seg)) return '{version}';
    if (/^01g[A-Za-z0-9]{15}-\d+$/.test(seg)) return '{locator}';
    if (/^\d+(\.json)?$/.test(seg)) return seg.endsWith('.json') ? '{id}.json' : '{id}';
    if (SF_ID.test(seg) && /\d/.test(seg) && /[A-Za-z]/.test(seg)) return '{id}';
    return seg;
  });
  return `${method.toUpperCase()} ${parts.join('/')}`;
}

export class CallCounters {
  private readonly counts: Record<Side, Map<string, number>> = { salesforce: new Map(), marketo: new Map() };

  count(side: Side, method: string, path: string): void {
    const key = routeKey(method, path);
    const map = this.counts[side];
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  snapshot(): Record<Side, Record<string, number>> & { totals: Record<Side, number> } {
    const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    return {
      salesforce: Object.fromEntries(this.counts.salesforce),
      marketo: Object.fromEntries(this.counts.marketo),
      totals: { salesforce: total(this.counts.salesforce), marketo: total(this.counts.marketo) },
    };
  }

  reset(): void {
    this.counts.salesforce.clear();
    this.counts.marketo.clear();
  }
}
