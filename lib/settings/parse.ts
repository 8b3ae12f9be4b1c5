import { type Parsed, parseWithIssues } from './issues';
import { type SyncSettings, syncSettingsSchema } from './schema';

/**
 * Validates settings of the current version. Missing fields take their defaults; a wrong type,
 * an out-of-range value or an unknown key is refused with one error per field, e.g.
 * `{ path: 'intervalMinutes', message: 'Too small: expected number to be >=1' }`.
 */
export function parseSettings(input: unknown): Parsed<SyncSettings> {
  return parseWithIssues(syncSettingsSchema, input);
}
