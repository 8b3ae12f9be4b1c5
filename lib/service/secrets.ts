// Reads a secret from where its reference points (orgConfig.ts): an environment variable of this
// process or a file. Read at each cycle, so a rotated file is used from the next cycle on; an
// environment variable is the worker's own, so every worker (on every machine) needs it set.
import { readFileSync } from 'node:fs';
import type { SecretRef } from './orgConfig';

export class SecretMissingError extends Error {
  override name = 'SecretMissingError';
}

/** Where a reference points, for messages (never the value). */
export const describeRef = (ref: SecretRef): string =>
  'env' in ref ? `environment variable ${ref.env}` : `file ${ref.file}`;

/** The secret's value, trimmed of surrounding white space (files usually end in a newline). */
export function readSecret(ref: SecretRef, what: string, env: NodeJS.ProcessEnv = process.env): string {
  let value: string | undefined;
  if ('env' in ref) {
    value = env[ref.env];
    if (value === undefined)
      throw new SecretMissingError(`${what}: environment variable ${ref.env} is not set`);
  } else {
    try {
      value = readFileSync(ref.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new SecretMissingError(`${what}: file ${ref.file} cannot be read (${code})`);
    }
  }
  const trimmed = value.trim();
  if (!trimmed) throw new SecretMissingError(`${what}: ${describeRef(ref)} is empty`);
  return trimmed;
}
