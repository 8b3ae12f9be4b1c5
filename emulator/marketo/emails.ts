// Asset API routes for emails and folders (issue 20; emails.md, folders.md, api-facts-objects
// E2.9). Browse by folder with `folder={"id":n,"type":"Folder"|"Program"}` (direct children only),
// `status` approved|draft, offset/maxReturn (≤ 200); by id, by name; the editable sections
// (content.json) and the rendered document (fullContent.json, 1.0 emails only: a 2.0 email answers
// 709); approve, unapprove, discard and delete. "No hit" is the asset API's string warning.

import { assetResult, folderParam, folderRoutes, window } from './assetFolders';
import {
  EmailNotFoundError,
  EmailRuleError,
  type EmailVersion,
  type FolderRef,
  fullHtml,
  fullText,
  PREDICTIVE,
  type StoredEmail,
} from './emailStore';
import { MarketoRequestError } from './envelope';
import { assetDate, type Body, parseDateTime, type Route, type RouteContext } from './format';

const text = (value: string) => ({ type: 'Text', value });

function emailRow(ctx: RouteContext, email: StoredEmail, status: 'approved' | 'draft'): Body {
  const version = (status === 'approved' ? email.approved : email.draft)!;
  return {
    id: email.id,
    name: email.name,
    description: email.description,
    createdAt: assetDate(email.createdAt),
    updatedAt: assetDate(version.updatedAt),
    url: `https://app-emu.marketo.com/#EM${email.id}A1`,
    subject: text(version.subject),
    fromName: text(version.fromName),
    fromEmail: text(version.fromEmail),
    replyEmail: text(version.replyEmail),
    folder: {
      type: email.folder.type,
      value: email.folder.id,
      folderName: ctx.store.emails.folderName(email.folder),
    },
    operational: email.operational,
    textOnly: false,
    publishToMSI: email.publishToMSI,
    webView: false,
    status,
    template: email.template,
    workspace: 'Default',
    isOpenTrackingDisabled: false,
    version: email.version,
    autoCopyToText: true,
    ccFields: null,
    preHeader: null,
  };
}

/** `status` approved|draft (either case); absent: each email once, approved if it has that version. */
function statusParam(ctx: RouteContext): 'approved' | 'draft' | undefined {
  const raw = ctx.req.param('status')?.toLowerCase();
  if (raw === undefined) return undefined;
  if (raw !== 'approved' && raw !== 'draft') throw new MarketoRequestError('1003', `Invalid status: ${raw}`);
  return raw;
}

/** The version a read returns, or undefined when the email has none of that status. */
function versionOf(email: StoredEmail, status: 'approved' | 'draft' | undefined) {
  if (status === 'approved') return email.approved ? 'approved' : undefined;
  if (status === 'draft') return email.draft ? 'draft' : undefined;
  return email.approved ? 'approved' : 'draft';
}

const sameFolder = (a: FolderRef, b: FolderRef) => a.id === b.id && a.type === b.type;
const visible = (ctx: RouteContext) => [...ctx.store.emails.emails.values()].filter((e) => !e.abTest);

function browseEmails(ctx: RouteContext): Body {
  const { offset, maxReturn } = window(ctx);
  const folder = folderParam(ctx, 'folder');
  const status = statusParam(ctx);
  const earliest = ctx.req.param('earliestUpdatedAt');
  const latest = ctx.req.param('latestUpdatedAt');
  const from = earliest ? parseDateTime(earliest) : null;
  const to = latest ? parseDateTime(latest) : null;
  if ((earliest && from === null) || (latest && to === null))
    throw new MarketoRequestError('1001', 'Invalid value for earliestUpdatedAt/latestUpdatedAt');
  const rows: Body[] = [];
  for (const email of visible(ctx)) {
    if (folder && !sameFolder(email.folder, folder)) continue;
    const which = versionOf(email, status);
    if (!which) continue;
    const at = (which === 'approved' ? email.approved : email.draft)!.updatedAt;
    if ((from !== null && at < from) || (to !== null && at > to)) continue;
    rows.push(emailRow(ctx, email, which));
  }
  return assetResult(rows.slice(offset, offset + maxReturn));
}

function emailOf(ctx: RouteContext): StoredEmail | undefined {
  const email = ctx.store.emails.emails.get(Number(ctx.match[1]));
  return email && !email.abTest ? email : undefined;
}

function emailById(ctx: RouteContext): Body {
  const email = emailOf(ctx);
  const which = email && versionOf(email, statusParam(ctx));
  return assetResult(email && which ? [emailRow(ctx, email, which)] : []);
}

function emailByName(ctx: RouteContext): Body {
  const name = ctx.req.param('name');
  if (!name) throw new MarketoRequestError('701', 'name cannot be blank');
  const folder = folderParam(ctx, 'folder');
  const status = statusParam(ctx);
  const email = visible(ctx).find((e) => e.name === name && (!folder || sameFolder(e.folder, folder)));
  const which = email && versionOf(email, status);
  return assetResult(email && which ? [emailRow(ctx, email, which)] : []);
}

function versionFor(
  ctx: RouteContext,
): { email: StoredEmail; status: 'approved' | 'draft'; version: EmailVersion } | undefined {
  const email = emailOf(ctx);
  const status = email && versionOf(email, statusParam(ctx));
  if (!email || !status) return undefined;
  return { email, status, version: (status === 'approved' ? email.approved : email.draft)! };
}

function emailContent(ctx: RouteContext): Body {
  const found = versionFor(ctx);
  if (!found) return assetResult([]);
  if (found.email.predictive) throw new MarketoRequestError('709', PREDICTIVE);
  return assetResult(
    found.version.sections.map((s) => ({
      htmlId: s.htmlId,
      value: [
        { type: 'HTML', value: s.html },
        { type: 'Text', value: s.text },
      ],
      contentType: 'Text',
    })),
  );
}

function emailFullContent(ctx: RouteContext): Body {
  const type = ctx.req.param('type') ?? 'HTML';
  if (type !== 'HTML' && type !== 'Text') throw new MarketoRequestError('1003', `Invalid type: ${type}`);
  const found = versionFor(ctx);
  if (!found) return assetResult([]);
  if (found.email.predictive) throw new MarketoRequestError('709', PREDICTIVE);
  // emails.md: "This endpoint can only be used on Version 1.0 Emails" (the error's wording is ours).
  if (found.email.version !== 1)
    throw new MarketoRequestError('709', 'Full content is only available for Email Editor 1.0 emails');
  const content = type === 'HTML' ? fullHtml(found.email, found.version) : fullText(found.version);
  return assetResult([{ id: found.email.id, status: found.status, content }]);
}

function emailAction(ctx: RouteContext): Body {
  const id = Number(ctx.match[1]);
  const action = ctx.match[2] as 'approveDraft' | 'unapprove' | 'discardDraft' | 'delete';
  const store = ctx.store.emails;
  try {
    if (action === 'approveDraft') store.approve(id);
    else if (action === 'unapprove') store.unapprove(id);
    else if (action === 'discardDraft') store.discardDraft(id);
    else store.delete(id);
  } catch (error) {
    if (error instanceof EmailNotFoundError) throw new MarketoRequestError('702', `Email ${id} not found`);
    if (error instanceof EmailRuleError) throw new MarketoRequestError('709', error.message);
    throw error;
  }
  return { success: true, errors: [], warnings: [], result: [{ id }] };
}

export const emailRoutes: Route[] = [
  { methods: ['GET'], pattern: /^\/rest\/asset\/v1\/emails\.json$/, handle: browseEmails },
  { methods: ['GET'], pattern: /^\/rest\/asset\/v1\/email\/byName\.json$/, handle: emailByName },
  { methods: ['GET'], pattern: /^\/rest\/asset\/v1\/email\/(\d+)\.json$/, handle: emailById },
  { methods: ['GET'], pattern: /^\/rest\/asset\/v1\/email\/(\d+)\/content\.json$/, handle: emailContent },
  {
    methods: ['GET'],
    pattern: /^\/rest\/asset\/v1\/email\/(\d+)\/fullContent\.json$/,
    handle: emailFullContent,
  },
  {
    methods: ['POST'],
    pattern: /^\/rest\/asset\/v1\/email\/(\d+)\/(approveDraft|unapprove|discardDraft|delete)\.json$/,
    handle: emailAction,
  },
  ...folderRoutes,
];
