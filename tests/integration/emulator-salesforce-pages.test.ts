// The Lightning-like pages: /login sets the HttpOnly sid cookie, record and list pages render
// escaped values with data-nav links, and the fragment endpoint feeds in-page navigation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../emulator/index';

let emu: Emulator;
let cookie = '';
beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  const res = await fetch(`${emu.info.salesforce.url}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'username=sync.admin%40emulator.example&pw=x',
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe('/lightning/o/Lead/list');
  const setCookie = res.headers.get('set-cookie')!;
  expect(setCookie).toMatch(/^sid=00D[A-Za-z0-9]{12}!.+; Path=\/; HttpOnly/);
  cookie = setCookie.split(';')[0]!;
});
afterAll(() => emu.stop());

const page = (path: string, withCookie = true) =>
  fetch(`${emu.info.salesforce.url}${path}`, {
    headers: withCookie ? { Cookie: cookie } : {},
    redirect: 'manual',
  });

describe('pages', () => {
  it('serves a login form and rejects unknown users', async () => {
    expect(await (await page('/login', false)).text()).toContain('<form method="post" action="/login"');
    const res = await fetch(`${emu.info.salesforce.url}/login`, {
      method: 'POST',
      body: 'username=nobody',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(await res.text()).toContain('Please check your username and password');
  });

  it('redirects to /login without a session', async () => {
    const res = await page('/lightning/o/Lead/list', false);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?startURL=%2Flightning%2Fo%2FLead%2Flist');
  });

  it('renders a record page with escaped values and links to related records', async () => {
    const account = emu.control.sfCreate({
      object: 'Account',
      fields: { Name: 'Acme <Holdings> & "Co"' },
    }).id;
    const contact = emu.control.sfCreate({
      object: 'Contact',
      fields: { LastName: '<script>alert(1)</script>', AccountId: account },
    }).id;
    const res = await page(`/lightning/r/Contact/${contact}/view`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain(
      `<a data-nav href="/lightning/r/Account/${account}/view">Acme &lt;Holdings&gt; &amp; &quot;Co&quot;</a>`,
    );
    expect(html).toContain('history.pushState');
    expect(html).not.toContain('data-field="Internal_Notes__c"');
    expect(html).toContain(`data-record-id="${contact}"`);
    const fragment = await page(
      `/lightning/__fragment?path=${encodeURIComponent(`/lightning/r/Account/${account}/view`)}`,
    );
    const view = (await fragment.json()) as { title: string; html: string };
    expect(view.title).toBe('Acme <Holdings> & "Co" | Account | Salesforce');
    expect(view.html).toContain(`data-record-id="${account}"`);
  });

  it('lists records with links and redirects classic /{id} URLs to Lightning', async () => {
    const { id } = emu.control.sfCreate({ object: 'Lead', fields: { LastName: 'Listed', Company: 'Acme' } });
    const html = await (await page('/lightning/o/Lead/list')).text();
    expect(html).toContain(`<a data-nav href="/lightning/r/Lead/${id}/view">Listed</a>`);
    const classic = await page(`/${id}`);
    expect(classic.headers.get('location')).toBe(`/lightning/r/Lead/${id}/view`);
    expect((await page('/lightning/r/Lead/00Q5e00000009zzEAA/view')).status).toBe(404);
  });
});
