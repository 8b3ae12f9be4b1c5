// Why a step or cycle failed, in words an admin can act on, next to the raw error (the popup,
// dashboard and record panel show the plain reason and keep the raw text behind a disclosure).
// One table of rules, tried in order: the first that matches an error — or any error it wraps
// (Dexie's `inner`, the standard `cause`) — names the reason. Add a kind by adding a rule.
import Dexie from 'dexie';
import { MarketoApiError } from '../marketo/errors';
import { SalesforceApiError } from '../salesforce/errors';
import { BudgetSpentError, WORKER_STOPPING } from './budget';
import { isDailyBudgetSpent } from './dailyUsage';
import { ActivityTypeError } from './operations/activities/activityType';

export type FailureKind =
  | 'storage-full'
  | 'storage'
  | 'session-expired'
  | 'api-limit'
  | 'cycle-budget'
  | 'network'
  | 'marketo-crm-sync'
  | 'marketo-activity-types'
  | 'other';

export interface FailureReason {
  kind: FailureKind;
  /** Plain words, with what to do where there is something to do. */
  reason: string;
  /** The error as thrown: name and message, with what it wraps. */
  raw: string;
}

export const STORAGE_FULL_REASON = 'Browser storage is full — free space or shorten Keep history';

/** Marketo's 1018 "CRM Enabled" (docs/objects.md): its own CRM sync owns these objects. */
export const MARKETO_CRM_SYNC_REASON =
  "Marketo's own Salesforce sync is on for this instance; turn it off before this extension syncs opportunities";

interface Rule {
  kind: Exclude<FailureKind, 'other'>;
  /** The reason when `error` (one link of the chain) is of this kind; undefined when it is not. */
  match(error: unknown): string | undefined;
}

const nameOf = (error: unknown) =>
  typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string'
    ? (error as { name: string }).name
    : undefined;

const messageOf = (error: unknown) =>
  error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)
    ? String((error as { message: unknown }).message ?? '')
    : String(error);

const RULES: readonly Rule[] = [
  {
    // IndexedDB aborts the transaction that would exceed the origin's quota with a
    // QuotaExceededError DOMException (Chromium: at commit, after every request succeeded); Dexie
    // rejects with an AbortError or QuotaExceededError wrapping it as `inner`.
    kind: 'storage-full',
    match: (error) => (nameOf(error) === 'QuotaExceededError' ? STORAGE_FULL_REASON : undefined),
  },
  {
    // Any other failure of the log database (a closed connection, a corrupt backing store…).
    kind: 'storage',
    match: (error) =>
      error instanceof Dexie.DexieError
        ? `The sync log could not be written (IndexedDB ${innerText(error)})`
        : undefined,
  },
  {
    kind: 'session-expired',
    match: (error) => {
      if (error instanceof SalesforceApiError && error.kind === 'auth')
        return 'The Salesforce session expired or was refused — log in to Salesforce again';
      if (error instanceof MarketoApiError && error.kind === 'auth')
        return 'Marketo refused the API credentials — check them on the options page';
      return undefined;
    },
  },
  {
    kind: 'api-limit',
    match: (error) => {
      if (error instanceof SalesforceApiError && error.kind === 'limit')
        return "Salesforce's daily API limit is reached — the sync resumes when calls free up";
      if (error instanceof MarketoApiError && error.kind === 'quota')
        return "Marketo's daily API quota is spent — the sync resumes after midnight US Central";
      return undefined;
    },
  },
  {
    kind: 'cycle-budget',
    match: (error) =>
      error instanceof BudgetSpentError
        ? isDailyBudgetSpent(error.message)
          ? // The daily budgets (lib/sync/dailyUsage.ts) say which side and how much, in plain words.
            `${error.message} — the sync resumes when the budget frees up; raise it under Options → API budget`
          : error.message === WORKER_STOPPING
            ? 'The worker was shut down between two batches — the next cycle resumes from there'
            : "This cycle's API or time budget was spent — the next cycle resumes"
        : undefined,
  },
  {
    // Per call or per record (the object steps turn a record's 1018 into this error), never a
    // silent skip: the whole object belongs to Marketo's native sync while it is on.
    kind: 'marketo-crm-sync',
    match: (error) =>
      error instanceof MarketoApiError && error.code === '1018' ? MARKETO_CRM_SYNC_REASON : undefined,
  },
  {
    // The Marketo activity types of Update Activities (docs/activities.md): the instance's limit is
    // reached, a name is taken, or the type was deleted; the error's message says what to do.
    kind: 'marketo-activity-types',
    match: (error) => (error instanceof ActivityTypeError ? error.message : undefined),
  },
  {
    kind: 'network',
    match: (error) => {
      if (error instanceof SalesforceApiError && (error.kind === 'network' || error.kind === 'timeout'))
        return 'Salesforce could not be reached — check the network; the next cycle retries';
      if (error instanceof MarketoApiError && (error.kind === 'network' || error.kind === 'timeout'))
        return 'Marketo could not be reached — check the network; the next cycle retries';
      return undefined;
    },
  },
  {
    // The service's log (lib/db/pg): PostgreSQL's own errors carry their SQLSTATE (`code`) and
    // `severity`; the pg driver's lost connections say so in their message. Last, so that a
    // Salesforce or Marketo error wrapping a socket error is that API's "could not be reached".
    kind: 'storage',
    match: postgresReason,
  },
];

/** What PostgreSQL's SQLSTATE classes mean for the sync (PostgreSQL manual, Appendix A). */
function postgresReason(error: unknown): string | undefined {
  const { code, severity } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    severity?: unknown;
  };
  const message = messageOf(error);
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string') {
    if (code === '53100')
      return "The service's PostgreSQL database is out of disk space — free space on its server; the next cycle resumes";
    if (code.startsWith('53')) return `PostgreSQL is out of resources (${message}) — the next cycle resumes`;
    if (code.startsWith('57P') || code.startsWith('08'))
      return 'PostgreSQL ended the connection (a restart or an administrator) — the next cycle resumes';
    if (code.startsWith('28')) return "PostgreSQL refused the service's login — check DATABASE_URL";
    if (code === '40001' || code === '40P01')
      return 'A write to the sync log conflicted with another and was undone — the next cycle resumes';
    return `The sync log could not be written (PostgreSQL ${code}: ${message})`;
  }
  if (/^Connection terminated|^timeout exceeded when trying to connect/.test(message))
    return 'The connection to PostgreSQL was lost — the next cycle resumes';
  if (code === 'ECONNREFUSED' && (error as { syscall?: unknown }).syscall === 'connect')
    return 'PostgreSQL could not be reached — check that it runs and DATABASE_URL; the next cycle retries';
  return undefined;
}

/** The error and what it wraps, outermost first (Dexie's `inner`, the standard `cause`). */
function chainOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let link = error; link !== undefined && link !== null && chain.length < 6; ) {
    if (chain.includes(link)) break;
    chain.push(link);
    const next = link as { inner?: unknown; cause?: unknown };
    link = typeof link === 'object' ? (next.inner ?? next.cause) : undefined;
  }
  return chain;
}

/** "Name: message" of one error ("Name" alone without a message; the message alone for plain Errors). */
function linkText(error: unknown): string {
  const name = nameOf(error);
  const message = messageOf(error).trim();
  if (!name || name === 'Error' || message.startsWith(name)) return message || name || 'Error';
  return message ? `${name}: ${message}` : name;
}

/** The innermost error's text (a Dexie error's own message repeats the inner one's). */
const innerText = (error: unknown) => linkText(chainOf(error).at(-1));

/** The raw text of an error: "Name: message", then what it wraps where that says more. */
export function rawErrorText(error: unknown): string {
  const texts: string[] = [];
  for (const link of chainOf(error)) {
    const said = messageOf(link).trim() || nameOf(link) || '';
    if (texts.length === 0 || !texts.some((t) => t.includes(said))) texts.push(linkText(link));
  }
  return texts.join(' ← ');
}

/** The plain reason of an error (the first matching rule, tried on each error of its chain). */
export function failureReason(error: unknown): FailureReason {
  const raw = rawErrorText(error);
  for (const rule of RULES) {
    for (const link of chainOf(error)) {
      const reason = rule.match(link);
      if (reason !== undefined) return { kind: rule.kind, reason, raw };
    }
  }
  return { kind: 'other', reason: messageOf(error), raw };
}

/** The log itself could not be written: nothing more of this cycle can be recorded. */
export const isStorageFailure = (failure: FailureReason) =>
  failure.kind === 'storage' || failure.kind === 'storage-full';
