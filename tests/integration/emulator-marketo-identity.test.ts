// Marketo emulator over real HTTP: identity, envelope, HTTP-level errors, routing errors and
// usage stats (api-facts B1–B3, C1–C2).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  type MarketoHarness,
  START,
  startMarketo,
} from './emulator-marketo-helpers';

let m: MarketoHarness;
beforeAll(async () => {
  m = await startMarketo();
});
afterAll(() => m.close());
beforeEach(() => {
  m.emulator.reset();
  m.clock.set(START);
});

const tokenUrl = (id = CLIENT_ID, secret = CLIENT_SECRET) =>
  `/identity/oauth/token?grant_type=client_credentials&client_id=${id}&client_secret=${secret}`;

describe('identity', () => {
  it('issues a bearer token with 3599 s left, and the same token with less life later', async () => {
    const first = await m.raw(tokenUrl());
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    const body = await first.json();
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3599 });
    expect(body.access_token).toMatch(/^[0-9a-f-]{36}:int$/);
    expect(typeof body.scope).toBe('string');
    m.clock.advance(600_000);
    const again = await (await m.raw(tokenUrl())).json();
    expect(again.access_token).toBe(body.access_token);
    expect(again.expires_in).toBe(2999);
  });

  it('accepts POST with a form body', async () => {
    const res = await m.raw('/identity/oauth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`,
    });
    expect(res.status).toBe(200);
    expect((await res.json()).token_type).toBe('bearer');
  });

  it('answers bad credentials with 401 invalid_client', async () => {
    const res = await m.raw(tokenUrl(CLIENT_ID, 'wrong'));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Bad client credentials',
    });
  });

  it('answers an unsupported grant type with 400', async () => {
    const res = await m.raw(`/identity/oauth/token?grant_type=password&client_id=${CLIENT_ID}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('unsupported_grant_type');
  });

  it('issues a new token once the old one expired, and the old one then gives 602', async () => {
    const old = await m.token();
    m.clock.advance(3_600_000);
    const res = await m.raw('/rest/v1/leads/describe.json', { headers: { Authorization: `Bearer ${old}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      success: false,
      errors: [{ code: '602', message: 'Access token expired' }],
    });
    const fresh = await m.token();
    expect(fresh).not.toBe(old);
  });

  it('gives 601 for unknown and missing tokens, and 602 for force-expired ones', async () => {
    const unknown = await (
      await m.raw('/rest/v1/leads/describe.json', { headers: { Authorization: 'Bearer nope:int' } })
    ).json();
    expect(unknown.errors).toEqual([{ code: '601', message: 'Access token invalid' }]);
    expect(unknown.requestId).toMatch(/^[0-9a-f]+#[0-9a-f]+$/);
    const missing = await (await m.raw('/rest/v1/leads/describe.json')).json();
    expect(missing.errors[0].code).toBe('601');

    const token = await m.token();
    expect(m.emulator.control.expireToken(token)).toBe(true);
    const expired = await (
      await m.raw('/rest/v1/leads/describe.json', { headers: { Authorization: `Bearer ${token}` } })
    ).json();
    expect(expired.errors[0].code).toBe('602');
    const other = await m.token();
    m.emulator.control.expireTokens();
    const all = await (
      await m.raw('/rest/v1/leads/describe.json', { headers: { Authorization: `Bearer ${other}` } })
    ).json();
    expect(all.errors[0].code).toBe('602');
  });

  it('still accepts the deprecated access_token query parameter', async () => {
    const token = await m.token();
    const body = await (await m.raw(`/rest/v1/leads/partitions.json?access_token=${token}`)).json();
    expect(body.success).toBe(true);
  });
});

describe('HTTP behaviour', () => {
  it('returns 413 for bodies over 1 MB', async () => {
    const token = await m.token();
    const res = await m.raw('/rest/v1/leads.json', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ input: [{ email: 'a@x.com', syncNotes: 'x'.repeat(1024 * 1024) }] }),
    });
    expect(res.status).toBe(413);
  });

  it('returns 414 for URIs over 8 KB, and serves the same query as POST ?_method=GET', async () => {
    await m.post('/rest/v1/leads.json', { input: [{ email: 'target@x.com' }] });
    const emails = Array.from({ length: 299 }, (_, i) => `someone-with-a-long-address-${i}@example.com`);
    const query = `filterType=email&filterValues=${encodeURIComponent([...emails, 'target@x.com'].join(','))}`;
    expect(query.length).toBeGreaterThan(8192);
    const token = await m.token();
    const long = await m.raw(`/rest/v1/leads.json?${query}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(long.status).toBe(414);
    const viaPost = await m.raw('/rest/v1/leads.json?_method=GET', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: query,
    });
    const body = await viaPost.json();
    expect(body.success).toBe(true);
    expect(body.result.map((r: { email: string }) => r.email)).toEqual(['target@x.com']);
  });

  it('answers unknown REST paths with 610 and wrong methods with 605, HTTP 200', async () => {
    const token = await m.token();
    const unknown = await m.raw('/rest/v1/nothing.json', { headers: { Authorization: `Bearer ${token}` } });
    expect(unknown.status).toBe(200);
    expect((await unknown.json()).errors).toEqual([{ code: '610', message: 'Requested resource not found' }]);
    const wrong = await m.raw('/rest/v1/leads/delete.json', {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect((await wrong.json()).errors).toEqual([{ code: '605', message: 'HTTP Method not supported' }]);
    const outside = await m.raw('/favicon.ico', { headers: { Authorization: `Bearer ${token}` } });
    expect(outside.status).toBe(404);
    expect((await outside.json()).errors[0].code).toBe('610');
  });

  it('answers bad JSON with 609 and a non-JSON write with 612', async () => {
    const token = await m.token();
    const bad = await m.raw('/rest/v1/leads.json', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{"input": [',
    });
    expect((await bad.json()).errors).toEqual([{ code: '609', message: 'Invalid JSON' }]);
    const form = await m.raw('/rest/v1/leads.json', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' },
      body: 'input=1',
    });
    expect((await form.json()).errors).toEqual([{ code: '612', message: 'Invalid Content Type' }]);
  });
});

describe('catch-all', () => {
  it('turns an unexpected failure into a Marketo-shaped 611 without a stack trace', async () => {
    const leads = m.emulator.store.leads;
    const original = leads.get;
    leads.get = () => {
      throw new Error('boom at secret/place.ts:12');
    };
    try {
      const res = await m.raw('/rest/v1/lead/1.json', {
        headers: { Authorization: `Bearer ${await m.token()}` },
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({
        success: false,
        errors: [{ code: '611', message: 'System error' }],
      });
      expect(text).not.toContain('boom');
    } finally {
      leads.get = original;
    }
  });
});

describe('usage stats', () => {
  it('counts successful and non-asterisked failed calls, not identity, 601/602 or 605 calls', async () => {
    await m.get('/rest/v1/leads/describe.json');
    await m.get('/rest/v1/leads/describe2.json');
    await m.get('/rest/v1/nothing.json');
    await m.raw('/rest/v1/leads/describe.json', { headers: { Authorization: 'Bearer nope' } });
    await m.get('/rest/v1/leads/delete.json');
    const usage = await m.get('/rest/v1/stats/usage.json');
    expect(usage.success).toBe(true);
    expect(usage.result).toHaveLength(1);
    expect(usage.result[0].date).toBe('2026-03-02');
    // describe, describe2, the 610, and this stats call itself is counted after it answers.
    expect(usage.result[0].total).toBe(3);
    expect(usage.result[0].users).toEqual([{ userId: 'apis@emulator.example.com', count: 3 }]);
    const week = await m.get('/rest/v1/stats/usage/last7days.json');
    expect(week.result).toHaveLength(7);
    const errors = await m.get('/rest/v1/stats/errors.json');
    const codes = Object.fromEntries(
      errors.result[0].errors.map((e: { errorCode: string; count: number }) => [e.errorCode, e.count]),
    );
    expect(codes).toEqual({ '601': 1, '605': 1, '610': 1 });
  });
});
