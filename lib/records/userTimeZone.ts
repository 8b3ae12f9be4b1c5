import { z } from 'zod';

// The Salesforce user's time zone (TimeZoneSidKey, an IANA name) as the last connection test
// found it (lib/connections stores that report). Only the part read here is checked.
const storedTest = z.looseObject({
  salesforce: z.looseObject({ ok: z.literal(true), who: z.looseObject({ timeZone: z.string().min(1) }) }),
});

export function timeZoneFromConnectionTest(stored: unknown): string | undefined {
  const parsed = storedTest.safeParse(stored);
  return parsed.success ? parsed.data.salesforce.who.timeZone : undefined;
}
