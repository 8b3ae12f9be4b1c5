// The token source for an OAuth grant (a dedicated sync user): Salesforce gives no expiry, so the
// access token is used until a call answers 401, then the refresh token buys a new one.
import { LOGIN_AGAIN_HINT, SalesforceApiError } from '../errors';
import type { SalesforceSession, TokenSource } from '../transport';
import { type OAuthConfig, type OAuthDeps, type OAuthTokens, refreshAccessToken, revokeToken } from './oauth';

/**
 * Token source for an OAuth grant: refreshes on a 401 with the refresh token (rotated tokens
 * included) and hands every new token set to `save`, so the background can keep it in storage.
 */
export class OAuthTokenSource implements TokenSource {
  private pending: Promise<SalesforceSession> | undefined;

  constructor(
    private readonly deps: OAuthDeps,
    private readonly config: OAuthConfig,
    private tokens: OAuthTokens,
    /** Gets the new token set and the refresh token it was bought with (to keep or replace). */
    private readonly save: (tokens: OAuthTokens, usedRefreshToken: string) => Promise<void> = async () => {},
    /**
     * Salesforce refused the refresh token for good (`invalid_grant`: revoked by an admin, expired
     * by the connected app's refresh token policy, or the user deactivated): the owner drops it, so
     * the connection shows "reconnect" and no later cycle asks again with it.
     */
    private readonly grantLost: (refreshToken: string) => Promise<void> = async () => {},
  ) {}

  async session(): Promise<SalesforceSession> {
    return { instanceUrl: this.tokens.instanceUrl, accessToken: this.tokens.accessToken };
  }

  refresh(expired: SalesforceSession): Promise<SalesforceSession> {
    // Another call already refreshed past this token: use the new one.
    if (expired.accessToken !== this.tokens.accessToken) return this.session();
    // Parallel calls that all got 401 share one refresh.
    this.pending ??= this.doRefresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async doRefresh(): Promise<SalesforceSession> {
    const refreshToken = this.tokens.refreshToken;
    if (!refreshToken) {
      throw new SalesforceApiError(
        'INVALID_SESSION_ID',
        `The access token expired and there is no refresh token; ${LOGIN_AGAIN_HINT}`,
        'oauth2/token',
        'auth',
        401,
      );
    }
    let fresh: OAuthTokens;
    try {
      fresh = await refreshAccessToken(this.deps, this.config, refreshToken);
    } catch (error) {
      if (error instanceof SalesforceApiError && error.errorCode === 'invalid_grant') {
        // Never sent again from this source either: the next 401 ends at "no refresh token".
        const { refreshToken: _lost, ...rest } = this.tokens;
        this.tokens = rest;
        await this.grantLost(refreshToken);
      }
      throw error;
    }
    this.tokens = { ...this.tokens, ...fresh, refreshToken: fresh.refreshToken ?? refreshToken };
    await this.save(this.tokens, refreshToken);
    return this.session();
  }

  revoke(): Promise<void> {
    return revokeToken(this.deps, this.config, this.tokens.refreshToken ?? this.tokens.accessToken);
  }
}
