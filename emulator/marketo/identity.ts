// OAuth client-credentials identity service (api-facts B1). A client id has one live token at a
// time; asking again before it expires returns the same token with the *remaining* life.
import { randomUUID } from 'node:crypto';

export const TOKEN_LIFE_MS = 3_600_000;

export interface IssuedToken {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
}

export type TokenCheck = { ok: true; clientId: string } | { ok: false; code: '601' | '602' };

interface TokenRecord {
  clientId: string;
  expiresAt: number;
}

export class IdentityService {
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly current = new Map<string, string>();

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly now: () => number,
    readonly scope = 'apis@emulator.example.com',
  ) {}

  credentialsValid(clientId: string | null, clientSecret: string | null): boolean {
    return clientId === this.clientId && clientSecret === this.clientSecret;
  }

  issue(clientId: string): IssuedToken {
    const now = this.now();
    let token = this.current.get(clientId);
    let record = token ? this.tokens.get(token) : undefined;
    if (!token || !record || record.expiresAt <= now) {
      // The ":int" suffix is the pod tag real tokens carry.
      token = `${randomUUID()}:int`;
      record = { clientId, expiresAt: now + TOKEN_LIFE_MS };
      this.tokens.set(token, record);
      this.current.set(clientId, token);
    }
    // A fresh token reports 3599, as Marketo does.
    const remaining = Math.max(0, Math.floor((record.expiresAt - now - 1) / 1000));
    return { access_token: token, token_type: 'bearer', expires_in: remaining, scope: this.scope };
  }

  check(token: string | null): TokenCheck {
    if (!token) return { ok: false, code: '601' };
    const record = this.tokens.get(token);
    if (!record) return { ok: false, code: '601' };
    if (record.expiresAt <= this.now()) return { ok: false, code: '602' };
    return { ok: true, clientId: record.clientId };
  }

  expireAll(): void {
    const now = this.now();
    for (const record of this.tokens.values()) record.expiresAt = Math.min(record.expiresAt, now);
  }

  /** Returns false when the token was never issued. */
  expire(token: string): boolean {
    const record = this.tokens.get(token);
    if (!record) return false;
    record.expiresAt = Math.min(record.expiresAt, this.now());
    return true;
  }

  reset(): void {
    this.tokens.clear();
    this.current.clear();
  }
}
