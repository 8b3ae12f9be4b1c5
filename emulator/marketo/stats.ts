// Usage statistics (api-facts B2, usage.md): calls per day per API user and errors per day.
// Days are US Central calendar days, as for the quota.
import { type Body, ok, type Route } from './format';
import { quotaDay, type RateLimiter } from './limits';

const DAY_MS = 24 * 3_600_000;

function lastDays(now: number, count: number): string[] {
  const days = new Set<string>();
  for (let i = 0; days.size < count && i < count + 2; i++) days.add(quotaDay(now - i * DAY_MS));
  return [...days];
}

export function statsRoutes(limiter: RateLimiter, now: () => number): Route[] {
  const usage = (count: number): Body => ok(limiter.usage(lastDays(now(), count)));
  const errors = (count: number): Body => ok(limiter.errors(lastDays(now(), count)));
  return [
    { methods: ['GET'], pattern: /^\/rest\/v1\/stats\/usage\.json$/, handle: () => usage(1) },
    { methods: ['GET'], pattern: /^\/rest\/v1\/stats\/usage\/last7days\.json$/, handle: () => usage(7) },
    { methods: ['GET'], pattern: /^\/rest\/v1\/stats\/errors\.json$/, handle: () => errors(1) },
    { methods: ['GET'], pattern: /^\/rest\/v1\/stats\/errors\/last7days\.json$/, handle: () => errors(7) },
  ];
}
