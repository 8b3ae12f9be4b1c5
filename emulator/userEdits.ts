import type { Emulator } from './index';
import { mulberry32 } from './rng';
import { sfClient } from './testing';

const TITLES = ['VP Marketing', 'Head of Growth', 'CMO', 'Marketing Ops Manager', 'Demand Gen Lead', 'CTO'];

/**
 * Edits a few records on both sides the way users would (a lead's title in Salesforce, a person's
 * title in Marketo), so that the demo's later cycles have work. Deterministic for a given round.
 */
export async function simulateUserEdits(emulator: Emulator, round: number, count = 5): Promise<number> {
  const rng = mulberry32(1000 + round);
  const pick = <T>(items: T[]): T[] =>
    Array.from({ length: Math.min(count, items.length) }, () => items[Math.floor(rng() * items.length)]!);
  const leads = await sfClient(emulator.info).query<{ records: { Id: string }[] }>(
    'SELECT Id FROM Lead WHERE IsConverted = false LIMIT 500',
  );
  let edits = 0;
  for (const lead of pick(leads.body.records ?? [])) {
    emulator.control.sfUpdate({ id: lead.Id, fields: { Title: TITLES[Math.floor(rng() * TITLES.length)] } });
    edits++;
  }
  for (const id of pick([...emulator.marketo.store.leads.byId.keys()])) {
    emulator.marketo.control.updateLead(id, { title: TITLES[Math.floor(rng() * TITLES.length)] });
    edits++;
  }
  return edits;
}
