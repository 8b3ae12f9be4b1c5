// Sessions and OAuth grants. A session id and an OAuth access token have the same form,
// `<15-char orgId>!<opaque>` (api-facts A2), so SIR-style "org id = cookie up to '!'" works.
// Sessions can be expired on demand (control API) so the 401 → refresh path can be tested.
import { randomBytes } from 'node:crypto';

export type SessionKind = 'sid' | 'oauth' | 'ui';

export interface Session {
  token: string;
  userId: string;
  kind: SessionKind;
  createdAt: number;
  lastUsedAt: number;
  expired: boolean;
  /** The refresh token that minted it, so revoking that token revokes this session too. */
  refreshToken?: string;
}

export interface RefreshGrant {
  token: string;
  userId: string;
  clientId: string;
  scope: string;
  revoked: boolean;
}

export interface AuthCode {
  code: string;
  userId: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  challenge?: string;
  challengeMethod?: string;
  expiresAt: number;
  used: boolean;
}

export type SessionCheck =
  | { ok: true; session: Session }
  | { ok: false; reason: 'invalid' | 'expired' | 'restricted' };

function opaqueToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url').replace(/[-_]/g, '.');
}

export class AuthStore {
  readonly sessions = new Map<string, Session>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  readonly codes = new Map<string, AuthCode>();
  /** Idle timeout; Infinity by default so tests that move the clock by days keep their sid. */
  sessionTimeoutMs = Number.POSITIVE_INFINITY;

  constructor(
    private readonly orgId15: string,
    private readonly now: () => number,
  ) {}

  createSession(userId: string, kind: SessionKind, refreshToken?: string): Session {
    const token = `${this.orgId15}!AQ${opaqueToken(72)}`;
    const at = this.now();
    const session: Session = {
      token,
      userId,
      kind,
      createdAt: at,
      lastUsedAt: at,
      expired: false,
      refreshToken,
    };
    this.sessions.set(token, session);
    return session;
  }

  check(token: string | undefined): SessionCheck {
    const session = token ? this.sessions.get(token) : undefined;
    if (!session) return { ok: false, reason: 'invalid' };
    if (session.expired || this.now() - session.lastUsedAt > this.sessionTimeoutMs) {
      session.expired = true;
      return { ok: false, reason: 'expired' };
    }
    if (session.kind === 'ui') return { ok: false, reason: 'restricted' };
    session.lastUsedAt = this.now();
    return { ok: true, session };
  }

  createRefreshToken(userId: string, clientId: string, scope: string): RefreshGrant {
    const grant: RefreshGrant = {
      token: `5Aep861${opaqueToken(60)}`,
      userId,
      clientId,
      scope,
      revoked: false,
    };
    this.refreshTokens.set(grant.token, grant);
    return grant;
  }

  createCode(code: Omit<AuthCode, 'code' | 'used' | 'expiresAt'>): AuthCode {
    const full: AuthCode = {
      ...code,
      code: `aPrx${opaqueToken(48)}`,
      used: false,
      expiresAt: this.now() + 15 * 60_000,
    };
    this.codes.set(full.code, full);
    return full;
  }

  /** Expires sessions matching the filter (all when empty); returns how many. */
  expireSessions(filter: { token?: string; userId?: string; kind?: SessionKind } = {}): number {
    let n = 0;
    for (const s of this.sessions.values()) {
      if (filter.token && s.token !== filter.token) continue;
      if (filter.userId && s.userId !== filter.userId) continue;
      if (filter.kind && s.kind !== filter.kind) continue;
      if (!s.expired) n++;
      s.expired = true;
    }
    return n;
  }

  revokeRefreshTokens(filter: { token?: string; userId?: string } = {}): number {
    let n = 0;
    for (const g of this.refreshTokens.values()) {
      if (filter.token && g.token !== filter.token) continue;
      if (filter.userId && g.userId !== filter.userId) continue;
      if (!g.revoked) n++;
      g.revoked = true;
      for (const s of this.sessions.values()) if (s.refreshToken === g.token) s.expired = true;
    }
    return n;
  }

  /** /services/oauth2/revoke: an access token or a refresh token. */
  revoke(token: string): boolean {
    const session = this.sessions.get(token);
    if (session) {
      session.expired = true;
      return true;
    }
    return this.revokeRefreshTokens({ token }) > 0 || this.refreshTokens.has(token);
  }
}
