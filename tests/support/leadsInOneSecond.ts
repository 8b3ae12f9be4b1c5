// Leads created as an import makes them: the emulator's clock does not move between them, so they
// all share one SystemModstamp second (the case a sync must get right at scale).
import type { Emulator } from '../../emulator/index';

/** Creates `count` leads (LastName Lead<i>, Email lead<i>@example.com) and returns their ids in order. */
export function createLeadsInOneSecond(
  control: Emulator['control'],
  count: number,
  companyOf: (i: number) => string = () => 'Acme',
): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      control.sfCreate({
        object: 'Lead',
        fields: { Company: companyOf(i), LastName: `Lead${i}`, Email: `lead${i}@example.com` },
      }).id,
  );
}
