// The field hashes are stored in every record's sync state and decide "unchanged" (lib/sync/hash.ts):
// the faster base-36 formatting must give exactly what Number#toString(36) gave, or every record
// would look changed to the next cycle after an upgrade.
import { describe, expect, it } from 'vitest';
import { base36, hashText } from '../../lib/sync/hash';

describe('field hash text', () => {
  it('formats every unsigned 32-bit number as toString(36) does', () => {
    const edges = [0, 1, 35, 36, 37, 1295, 1296, 2 ** 30 - 1, 2 ** 30, 2 ** 31, 2 ** 32 - 36, 2 ** 32 - 1];
    for (const n of edges) expect(base36(n)).toBe(n.toString(36));
    let seed = 0x9e3779b9;
    for (let i = 0; i < 200_000; i++) {
      seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
      expect(base36(seed)).toBe(seed.toString(36));
    }
  });

  it('keeps the hashes stored before it (FNV-1a, base 36)', () => {
    expect(hashText('Mia')).toBe('9vdyue');
    expect(hashText('Visser')).toBe('rxkwc9');
    expect(hashText('Head of Growth')).toBe('1kh1b7');
  });
});
