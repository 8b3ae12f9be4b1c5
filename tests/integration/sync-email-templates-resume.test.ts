// Email templates after a stop (issue 20): a worker killed in the middle of Push New's create call
// (the call lands, its commit never happens), right after a commit, or in the middle of Push
// Updates' write, at the scale of a real email library (450 approved emails: several batches and
// collection calls); the cycles that follow finish the work, and no email ever has two templates.
//
// A "killed" worker is an engine on its own connection to the log: at the kill point the connection
// is closed and every further request of that worker fails (a request already sent still lands, as
// from a dying process); its rows stay In Process and its lease is left to expire.
import { afterEach, describe, expect, it } from 'vitest';
import type { Operation } from '../../lib/db/types';
import { type KillPlan, runDyingCycle } from '../support/dyingWorkerLog';
import { type EmailWorld, startEmailWorld } from '../support/emailWorld';
import { stepOf } from './sync-harness';

let w: EmailWorld;
let cut: ((url: string, method: string) => void) | undefined;
afterEach(() => w?.h.stop());

/** One cycle on a worker that dies as planned; true when it died before running out of work. */
function runDying(owner: string, plan: KillPlan, operation: Operation): Promise<boolean> {
  return runDyingCycle({
    logName: w.h.db.name,
    owner,
    plan,
    ofStep: (row) => row.operation === operation && row.objectType === 'Email Template',
    engineOn: (db) => w.h.engineOn(db, owner),
    setCut: (next) => {
      cut = next;
    },
    trigger: 'manual',
  });
}

const isCreate = (url: string, method: string) => method === 'POST' && url.includes('/composite/sobjects');
const isUpdate = (url: string, method: string) => method === 'PATCH' && url.includes('/composite/sobjects');

async function library(n: number) {
  w = await startEmailWorld({}, (url, init) => cut?.(url, init?.method ?? 'GET'));
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push(w.approved(`Email ${String(i).padStart(3, '0')}`));
  return ids;
}

/** Each email's templates, by DeveloperName: every one exactly once. */
function templateCounts(ids: number[]) {
  const byName = new Map<string, number>();
  for (const t of w.templates())
    byName.set(String(t.DeveloperName), (byName.get(String(t.DeveloperName)) ?? 0) + 1);
  return {
    missing: ids.filter((id) => !byName.has(`Marketo_Email_${id}`)).length,
    duplicated: [...byName.values()].filter((c) => c > 1).length,
  };
}

describe('Push New Email Template after a stop', () => {
  it('450 emails, killed mid-create, after a commit, and mid-create again: each email one template', async () => {
    const ids = await library(450);
    const progress: string[] = [];
    const plans: KillPlan[] = [
      { atWrite: 2, isWrite: isCreate },
      { afterCommits: 1 },
      { atWrite: 1, isWrite: isCreate },
    ];
    let killed = 0;
    for (const [n, plan] of plans.entries()) {
      w.h.advance(5 * 60_000);
      if (await runDying(`stopped-${n + 1}`, plan, 'Push New')) killed++;
      progress.push(`kill ${n + 1}: ${w.templates().length} templates`);
    }
    expect(killed, progress.join('; ')).toBe(3);
    expect(w.templates().length, progress.join('; ')).toBeLessThan(450);
    const reports = [];
    for (let i = 0; i < 2; i++) {
      w.h.advance(5 * 60_000);
      reports.push(await w.h.cycle());
    }
    expect(templateCounts(ids), progress.join('; ')).toEqual({ missing: 0, duplicated: 0 });
    expect(w.templates().every((t) => t.IsActive === true && String(t.HtmlValue).includes('<p>Email'))).toBe(
      true,
    );
    expect(reports.map((r) => r.cycle?.status)).toEqual(['Completed', 'Completed']);
    // The last cycle had nothing left to do.
    expect(stepOf(reports[1]!, 'Push New', 'Email Template')).toMatchObject({ new: 0, failed: 0 });
  }, 120_000);

  it('an email unapproved while its create was unlogged: its template is left inactive, not made again', async () => {
    const ids = await library(3);
    expect(await runDying('stopped', { atWrite: 1, isWrite: isCreate }, 'Push New')).toBe(true);
    expect(w.templates()).toHaveLength(3);
    w.email({ action: 'unapprove', id: ids[1]! });
    w.h.advance(5 * 60_000);
    const report = await w.h.cycle();
    expect(stepOf(report, 'Push New', 'Email Template')).toMatchObject({ new: 2, skipped: 1 });
    expect(templateCounts(ids)).toEqual({ missing: 0, duplicated: 0 });
    expect(w.templateOf(ids[1]!)?.IsActive).toBe(false);
    w.email({ action: 'approve', id: ids[1]! });
    w.h.advance(5 * 60_000);
    expect(stepOf(await w.h.cycle(), 'Push New', 'Email Template')).toMatchObject({ new: 1 });
    expect(w.templateOf(ids[1]!)?.IsActive).toBe(true);
    expect(w.templates()).toHaveLength(3);
  });
});

describe('Push Updates Email Template after a stop', () => {
  it('450 emails approved again, killed mid-update: every template updated, none made twice', async () => {
    const ids = await library(450);
    await w.h.cycle();
    w.h.advance(60_000);
    for (const id of ids) {
      w.email({ action: 'edit', id, html: `<p>Second version ${id}</p>` });
      w.email({ action: 'approve', id });
    }
    w.h.advance(5 * 60_000);
    expect(await runDying('stopped-in-update', { atWrite: 2, isWrite: isUpdate }, 'Push Updates')).toBe(true);
    const updatedSoFar = w.templates().filter((t) => String(t.HtmlValue).includes('Second version')).length;
    expect(updatedSoFar).toBeGreaterThan(0);
    expect(updatedSoFar).toBeLessThan(450);
    w.h.advance(5 * 60_000);
    const report = await w.h.cycle();
    expect(report.cycle?.status).toBe('Completed');
    // What the dead worker logged is done; the rest (its unlogged last write included) is written now.
    const dead = await w.h.db.steps
      .filter(
        (s) =>
          s.operation === 'Push Updates' &&
          s.objectType === 'Email Template' &&
          s.cycleId !== report.cycle!.id,
      )
      .toArray();
    const logged = dead.reduce((n, s) => n + s.updated, 0);
    expect(logged).toBeLessThan(updatedSoFar);
    expect(stepOf(report, 'Push Updates', 'Email Template').updated).toBe(450 - logged);
    expect(templateCounts(ids)).toEqual({ missing: 0, duplicated: 0 });
    expect(w.templates().every((t) => String(t.HtmlValue).includes('Second version'))).toBe(true);
  }, 120_000);
});
