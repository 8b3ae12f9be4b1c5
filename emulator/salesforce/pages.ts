// Minimal Lightning-like UI on the Salesforce host, so the record panel can be exercised in a
// browser: /login (sets the HttpOnly `sid` cookie), /lightning/o/{Object}/list and
// /lightning/r/{Object}/{Id}/view. Links carry data-nav; a small inline script fetches the next
// view as a fragment, swaps it in and calls history.pushState, as Lightning's in-page
// navigation does. Every field value is HTML-escaped.
import { escapeHtml, type HttpReply, html, parseCookies, redirect } from '../http';
import { normalizeId } from '../ids';
import { findUserByUsername } from './oauth';
import type { SalesforceOrg } from './org';
import { formatValue } from './records';
import type { SfHttpRequest } from './router';
import type { SObjectType } from './schema';
import { SalesforceStore } from './store';
import { UserContext } from './users';

const LIST_PAGE_SIZE = 50;

const NAV_SCRIPT = `
document.addEventListener('click', function (e) {
  var a = e.target.closest && e.target.closest('a[data-nav]');
  if (!a || e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  go(a.getAttribute('href'), true);
});
window.addEventListener('popstate', function () { go(location.pathname + location.search, false); });
function go(href, push) {
  fetch('/lightning/__fragment?path=' + encodeURIComponent(href), { credentials: 'same-origin' })
    .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
    .then(function (view) {
      document.getElementById('main').innerHTML = view.html;
      document.title = view.title;
      if (push) history.pushState({ href: href }, '', href);
    })
    .catch(function () { location.href = href; });
}`;

interface View {
  title: string;
  html: string;
}

export function handlePages(org: SalesforceOrg, req: SfHttpRequest): HttpReply | undefined {
  const path = req.url.pathname;
  if (path === '/login')
    return req.method === 'POST'
      ? loginPost(org, req)
      : loginForm(req.url.searchParams.get('startURL') ?? '', '');
  if (path === '/secur/logout.jsp')
    return redirect('/login', { 'Set-Cookie': 'sid=; Path=/; HttpOnly; Max-Age=0' });
  const isUi =
    path === '/' || path.startsWith('/lightning/') || /^\/[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(path);
  if (!isUi) return undefined;
  const user = pageUser(org, req);
  if (!user) {
    if (path === '/lightning/__fragment') return { status: 401, body: { error: 'login required' } };
    return redirect(`/login?startURL=${encodeURIComponent(path + req.url.search)}`);
  }
  if (path === '/') return redirect('/lightning/o/Lead/list');
  if (path === '/lightning/__fragment') {
    const view = render(org, user, new URL(req.url.searchParams.get('path') ?? '/', req.url));
    return view ? { status: 200, body: view } : { status: 404, body: { error: 'not found' } };
  }
  const classicId = normalizeId(path.slice(1));
  if (classicId) {
    const type = org.store.schema.byKeyPrefix(classicId.slice(0, 3));
    if (type) return redirect(`/lightning/r/${type.name}/${classicId}/view`);
  }
  const view = render(org, user, req.url);
  if (!view)
    return html(
      404,
      shell({
        title: 'Page not found | Salesforce',
        html: '<p class="slds-text-heading">This page isn’t available.</p>',
      }),
    );
  return html(200, shell(view));
}

function pageUser(org: SalesforceOrg, req: SfHttpRequest): UserContext | undefined {
  const sid = parseCookies(req.headers.cookie).sid;
  const check = org.auth.check(sid);
  return check.ok ? UserContext.load(org.store, check.session.userId) : undefined;
}

function shell(view: View): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(view.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f3f3f3}header{background:#032d60;color:#fff;padding:8px 16px}
main{margin:16px;background:#fff;border-radius:4px;padding:16px}dl{display:grid;grid-template-columns:220px 1fr;gap:4px 16px}
dt{color:#555}table{border-collapse:collapse}td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:left}</style>
</head><body><header class="slds-global-header"><span class="app-name">Sales</span>
<nav><a data-nav href="/lightning/o/Lead/list" style="color:#fff">Leads</a> · <a data-nav href="/lightning/o/Contact/list" style="color:#fff">Contacts</a> · <a data-nav href="/lightning/o/Account/list" style="color:#fff">Accounts</a></nav></header>
<main id="main">${view.html}</main><script>${NAV_SCRIPT}</script></body></html>`;
}

function render(org: SalesforceOrg, user: UserContext, url: URL): View | undefined {
  const record = /^\/lightning\/r\/([A-Za-z0-9_]+)\/([A-Za-z0-9]{15,18})\/view$/.exec(url.pathname);
  if (record) return recordView(org, user, record[1]!, record[2]!);
  const list = /^\/lightning\/o\/([A-Za-z0-9_]+)\/(list|home)$/.exec(url.pathname);
  if (list) return listView(org, user, list[1]!, Number(url.searchParams.get('page') ?? '1') || 1);
  return undefined;
}

function titleOf(type: SObjectType, row: Record<string, unknown>): string {
  const nameField = type.nameField();
  const name = nameField ? row[nameField.name] : null;
  return typeof name === 'string' && name !== '' ? name : String(row.Id);
}

function recordView(
  org: SalesforceOrg,
  user: UserContext,
  typeName: string,
  rawId: string,
): View | undefined {
  const type = org.store.schema.get(typeName);
  const id = normalizeId(rawId);
  const row = id ? org.store.get(id) : undefined;
  if (!type || !row || row.IsDeleted || !id?.startsWith(type.def.keyPrefix)) return undefined;
  const items = type.fields
    .filter((f) => user.canRead(type.name, f.name))
    .map((f) => {
      const value = formatValue(f, SalesforceStore.read(type, row, f.name));
      let shown = escapeHtml(value === null ? '' : value);
      if (f.type === 'reference' && typeof value === 'string') {
        const target = org.store.find(value);
        if (target) {
          const label = escapeHtml(titleOf(target.table.type, target.record));
          shown = `<a data-nav href="/lightning/r/${target.table.type.name}/${value}/view">${label}</a>`;
        }
      }
      return `<dt>${escapeHtml(f.label)}</dt><dd data-field="${escapeHtml(f.name)}">${shown}</dd>`;
    })
    .join('');
  const title = titleOf(type, row);
  return {
    title: `${title} | ${type.def.label} | Salesforce`,
    html: `<div class="record-page" data-object="${escapeHtml(type.name)}" data-record-id="${id}">
<p class="entity-label">${escapeHtml(type.def.label)}</p><h1 class="record-title">${escapeHtml(title)}</h1>
<p><a data-nav href="/lightning/o/${type.name}/list">Back to ${escapeHtml(type.def.labelPlural)}</a></p><dl>${items}</dl></div>`,
  };
}

function listView(org: SalesforceOrg, user: UserContext, typeName: string, page: number): View | undefined {
  const type = org.store.schema.get(typeName);
  if (!type) return undefined;
  const rows = [...org.store.table(type.name).records.values()].filter((r) => !r.IsDeleted);
  const slice = rows.slice((page - 1) * LIST_PAGE_SIZE, page * LIST_PAGE_SIZE);
  const items = slice
    .map(
      (r) =>
        `<tr><td><a data-nav href="/lightning/r/${type.name}/${r.Id}/view">${escapeHtml(titleOf(type, r))}</a></td><td>${escapeHtml(r.Id)}</td></tr>`,
    )
    .join('');
  const more =
    rows.length > page * LIST_PAGE_SIZE
      ? `<a data-nav href="/lightning/o/${type.name}/list?page=${page + 1}">Next</a>`
      : '';
  void user;
  return {
    title: `${type.def.labelPlural} | Salesforce`,
    html: `<div class="list-page" data-object="${escapeHtml(type.name)}"><h1>${escapeHtml(type.def.labelPlural)}</h1>
<p>${rows.length} items</p><table><thead><tr><th>Name</th><th>Id</th></tr></thead><tbody>${items}</tbody></table>${more}</div>`,
  };
}

function loginForm(startUrl: string, error: string): HttpReply {
  return html(
    200,
    `<!doctype html><html><head><meta charset="utf-8"><title>Login | Salesforce</title></head><body>
<form method="post" action="/login" id="login_form">${error ? `<p class="loginError">${escapeHtml(error)}</p>` : ''}
<label>Username <input name="username" id="username" value="sync.admin@emulator.example"></label>
<label>Password <input name="pw" id="password" type="password"></label>
<input type="hidden" name="startURL" value="${escapeHtml(startUrl)}">
<button type="submit" id="Login">Log In</button></form></body></html>`,
  );
}

function loginPost(org: SalesforceOrg, req: SfHttpRequest): HttpReply {
  const form = new URLSearchParams(req.rawBody);
  const startUrl = form.get('startURL') ?? '';
  const userId = findUserByUsername(org, form.get('username') ?? '');
  if (!userId || !UserContext.load(org.store, userId)) {
    return loginForm(
      startUrl,
      'Please check your username and password. If you still can’t log in, contact your Salesforce administrator.',
    );
  }
  const session = org.auth.createSession(userId, 'sid');
  const target = startUrl.startsWith('/') && !startUrl.startsWith('//') ? startUrl : '/lightning/o/Lead/list';
  return redirect(target, { 'Set-Cookie': `sid=${session.token}; Path=/; HttpOnly; SameSite=Lax` });
}
