// A contact's opportunity roles kept in the log (lib/sync/operations/objects/roleIndex.ts): one hash
// field per contact list, so that a role batch's packed states stay as narrow as any other batch's.
import { describe, expect, it } from 'vitest';
import { packStates } from '../../lib/db/packedStates';
import type { SyncState } from '../../lib/db/syncStateTypes';
import type { StepContext } from '../../lib/sync/context';
import { decodeRoles, RoleIndex, rolesOfKey } from '../../lib/sync/operations/objects/roleIndex';

const contact = (n: number) => `003${String(n).padStart(12, '0')}AAA`;
const role = (n: number) => `00K${String(n).padStart(12, '0')}AAA`;

describe('contact role lists', () => {
  it('300 contacts with 10 roles each pack into a batch row with one list column, not one per role', async () => {
    const index = new RoleIndex({ db: { syncState: {} } } as unknown as StepContext);
    // load() reads the stored lists; none are stored here, so start each list empty by hand.
    (index as unknown as { byContact: Map<string, Map<string, string>> }).byContact = new Map(
      Array.from({ length: 300 }, (_, c) => [contact(c), new Map<string, string>()]),
    );
    const changed = new Set<string>();
    for (let c = 0; c < 300; c++)
      for (let r = 0; r < 10; r++)
        index.put(
          role(c * 10 + r),
          undefined,
          contact(c),
          { opportunityId: `006${c}${r}`, role: 'Decision | Maker', primary: r === 0 },
          changed,
        );
    const states = new Map<string, SyncState | null>();
    index.states(changed, states);
    const packed = packStates(states);
    expect(packed.fields).toEqual(['roles']);
    expect(JSON.stringify(packed).length).toBeLessThan(300 * 10 * 120);
    const first = decodeRoles(states.get(rolesOfKey(contact(0))) ?? undefined);
    expect(first.size).toBe(10);
    expect(first.get(role(0))).toEqual({ opportunityId: '00600', role: 'Decision | Maker', primary: true });
  });

  it('still reads a list written with a field per role', () => {
    const legacy: SyncState = { sobject: 'ContactRoles', hashes: { [role(1)]: '0061|0|Evaluator' } };
    expect(decodeRoles(legacy).get(role(1))).toEqual({
      opportunityId: '0061',
      role: 'Evaluator',
      primary: false,
    });
  });

  it('reads a damaged list as empty instead of failing the panel', () => {
    expect(decodeRoles({ sobject: 'ContactRoles', hashes: { roles: '{not json' } }).size).toBe(0);
  });
});
