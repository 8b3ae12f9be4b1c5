// Each org's status-API token (docs/service.md). 32 random bytes, so a plain SHA-256 is the right
// hash: there is nothing to brute-force that a slow password hash would protect, and checking a
// request costs one hash. The token is shown once, at add-org; only the hash is stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `sss_` marks the token's kind in logs and secret scanners; the rest is base64url. */
export const TOKEN_PREFIX = 'sss_';

export function newApiToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether `token` is the one `hash` was made from, compared in constant time. */
export function apiTokenMatches(token: string, hash: string): boolean {
  const given = Buffer.from(hashApiToken(token), 'hex');
  const stored = Buffer.from(hash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
