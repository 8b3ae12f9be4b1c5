// The check both email template steps work from (docs/email-templates.md "How often"): Marketo has
// no change feed for email assets, so the approved emails of the chosen folders are browsed — at
// most once an hour, or in a manual cycle, when the chosen folders changed, or when the admin asks
// to retry a failed template now. Other cycles make no call here, so an idle cycle stays at its
// 2–3 calls; failed templates whose retry is due are retried by the next check.
// The check is made by the first of the two steps that runs (Push Updates), handed to Push New in
// the cycle's notes, and marked done (cursor `push:email-templates:checked`) by Push New once both
// steps completed: a check that stopped half-way is made again by the next cycle.
import { z } from 'zod';
import type { RecordFlagsRow } from '../../../db/types';
import type { MarketoEmail } from '../../../marketo';
import type { SyncSettings } from '../../../settings/schema';
import type { StepContext } from '../../context';
import { readCursor } from '../../cursors';
import { retriesToRun } from '../../retryPause';
import { EMAIL_CURSORS, type EmailLink, folderKey, loadLinks } from './links';

/** At most one browse of the chosen folders per hour (a manual cycle always checks). */
export const CHECK_EVERY_MS = 60 * 60_000;

export interface EmailScan {
  at: number;
  /** The chosen Marketo folders, by key (`Folder:12`). */
  folders: Map<string, SyncSettings['emailTemplates']['marketoFolders'][number]>;
  /** The approved emails found in them, by email id, with the folder each was found in. */
  approved: Map<number, { email: MarketoEmail; folder: string }>;
  /** Every email the sync has a template for (kept up to date by the steps as they commit). */
  links: Map<number, EmailLink>;
  /** Templates whose failed write is due again, per step. */
  retries: { new: Set<string>; updates: Set<string> };
  /** Set by Push Updates when it completed: Push New may then mark the check done. */
  updatesDone: boolean;
}

const checkedSchema = z.object({ at: z.number(), folders: z.string() });
const mine = (row: RecordFlagsRow) => row.objectType === 'Email Template';
export const foldersKey = (settings: SyncSettings) =>
  settings.emailTemplates.marketoFolders.map(folderKey).sort().join(',');

/** This cycle's check, made once by the first step that asks; null when none is due. */
export function emailScan(ctx: StepContext): Promise<EmailScan | null> {
  ctx.notes.emailScan ??= scan(ctx);
  return ctx.notes.emailScan;
}

async function scan(ctx: StepContext): Promise<EmailScan | null> {
  const now = ctx.clock.now();
  const [retriesNew, retriesUpdates] = await Promise.all([
    retriesToRun(ctx, 'Push New', now, mine),
    retriesToRun(ctx, 'Push Updates', now, mine),
  ]);
  const stored = await readCursor(ctx.db, EMAIL_CURSORS.checked);
  const parsed = stored ? checkedSchema.safeParse(JSON.parse(stored)) : undefined;
  const last = parsed?.success ? parsed.data : undefined;
  // Failed templates are retried by the hourly check (their backoff counted from their failure):
  // a due retry alone does not make Marketo be read in between. The admin's "Retry these now" does.
  const asked = new Set([...(ctx.notes.retryNow?.values() ?? [])].flat());
  const due =
    ctx.notes.trigger === 'manual' ||
    !last ||
    now - last.at >= CHECK_EVERY_MS ||
    last.folders !== foldersKey(ctx.settings) ||
    [...retriesNew, ...retriesUpdates].some((r) => asked.has(r.sfId));
  if (!due) return null;
  const folders = new Map(ctx.settings.emailTemplates.marketoFolders.map((f) => [folderKey(f), f]));
  const approved = new Map<number, { email: MarketoEmail; folder: string }>();
  for (const [key, folder] of folders) {
    ctx.budget.check();
    for await (const page of ctx.marketo.emails.browse(folder, 'approved')) {
      for (const email of page) approved.set(email.id, { email, folder: key });
      ctx.budget.check();
    }
  }
  return {
    at: now,
    folders,
    approved,
    links: await loadLinks(ctx.db),
    retries: {
      new: new Set(retriesNew.map((r) => r.sfId)),
      updates: new Set(retriesUpdates.map((r) => r.sfId)),
    },
    updatesDone: false,
  };
}

/** The cursor Push New writes when the check is complete. */
export function checkedCursor(scan: EmailScan, settings: SyncSettings) {
  return {
    key: EMAIL_CURSORS.checked,
    value: JSON.stringify({ at: scan.at, folders: foldersKey(settings) }),
  };
}
