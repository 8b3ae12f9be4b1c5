// The control API for tests and demos. One class whose methods each take at most one JSON
// argument; the same methods are served over HTTP as POST {control.url}/{method} (body = the
// argument, reply = the result), so tests can call `emulator.control.injectFault({...})`
// in-process or `createControlClient(url).injectFault({...})` over HTTP with the same types.
import type { EmulatorCore } from './core';
import type { Fault, FaultSpec } from './faults';
import { normalizeId } from './ids';
import type { CrmKind } from './marketo/crmObjects';
import * as customActivities from './marketo/customActivityControl';
import { type EmailCommand, type EmailCommandResult, runEmailCommand } from './marketo/emailControl';
import type { MarketoLimits } from './marketo/limits';
import type { Program } from './marketo/programStore';
import type { SessionKind } from './salesforce/auth';
import { type ConvertLeadInput, type ConvertLeadResult, convertLead } from './salesforce/convert';
import {
  type DmlActor,
  DmlError,
  deleteRecord,
  insertRecord,
  parseInput,
  updateRecord,
} from './salesforce/dml';
import { SfApiError } from './salesforce/errors';
import { formatValue } from './salesforce/records';
import { mergeContacts } from './salesforce/salesRules';
import { field as fieldDef } from './salesforce/schema/fields';
import type { FieldType } from './salesforce/schema/types';
import { SalesforceStore } from './salesforce/store';
import { UserContext } from './salesforce/users';
import type { SeedName, SeedSummary } from './seeds';
import { type ActivitySeed, seedActivities } from './seeds/largeActivities';

export class ControlError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Who makes a Salesforce change: 'admin', 'standard' (a sales user, the default) or a user id. */
export type Actor = 'admin' | 'standard' | string;

export interface SfWrite {
  asUser?: Actor;
  /** Apply field-level security and validation rules as the API would (default false). */
  validate?: boolean;
}

export class EmulatorControl {
  constructor(private readonly core: EmulatorCore) {}

  private get org() {
    return this.core.org;
  }

  private actor(who: Actor = 'standard', validate = false): DmlActor {
    const id =
      who === 'admin'
        ? this.org.principals.adminUserId
        : who === 'standard'
          ? this.org.principals.standardUserId
          : normalizeId(who);
    const user = id ? UserContext.load(this.org.store, id) : undefined;
    if (!user) throw new ControlError(`Unknown user ${who}`);
    return { user, enforce: validate, at: this.org.store.now() };
  }

  private dml<T>(fn: () => T): T {
    try {
      return this.org.store.transaction(() => ({ commit: true, value: fn() }));
    } catch (error) {
      if (error instanceof DmlError) throw new ControlError(error.message, error.statusCode);
      if (error instanceof SfApiError) throw new ControlError(error.message, error.errorCode);
      throw error;
    }
  }

  private type(object: string) {
    const type = this.org.store.schema.get(object);
    if (!type) throw new ControlError(`Unknown object ${object}`);
    return type;
  }

  // ---- Salesforce data --------------------------------------------------------------------

  sfCreate(input: { object: string; fields: Record<string, unknown> } & SfWrite): { id: string } {
    const type = this.type(input.object);
    const who = this.actor(input.asUser, input.validate);
    return this.dml(() => ({
      id: insertRecord(this.org, who, type, parseInput(type, input.fields, null).values),
    }));
  }

  sfUpdate(input: { id: string; fields: Record<string, unknown> } & SfWrite): { id: string } {
    const found = this.org.store.find(normalizeId(input.id) ?? '');
    if (!found) throw new ControlError(`No record ${input.id}`);
    const type = found.table.type;
    const who = this.actor(input.asUser, input.validate);
    return this.dml(() => ({
      id: updateRecord(this.org, who, input.id, parseInput(type, input.fields, null).values, type),
    }));
  }

  /**
   * Changes fields with no trace a sync could see: SystemModstamp and LastModifiedDate stay as they
   * were, as after a data fix below the API (or a formula-like back-end update). Only a full read of
   * both sides (Reconcile) can find such a change. No validation rules, no field-level security.
   */
  sfUpdateWithoutStamp(input: { id: string; fields: Record<string, unknown> }): { id: string } {
    const id = normalizeId(input.id);
    const found = id ? this.org.store.find(id) : undefined;
    if (!id || !found || found.record.IsDeleted) throw new ControlError(`No record ${input.id}`);
    const values = this.dml(() => parseInput(found.table.type, input.fields, null).values);
    this.org.store.transaction(() => ({
      commit: true,
      value: this.org.store.update(id, values, this.org.principals.adminUserId, undefined, false),
    }));
    return { id };
  }

  sfDelete(input: { id: string } & SfWrite): { id: string } {
    const who = this.actor(input.asUser);
    return this.dml(() => ({ id: deleteRecord(this.org, who, input.id) }));
  }

  sfUndelete(input: { id: string } & SfWrite): { id: string } {
    const id = normalizeId(input.id);
    const row = id ? this.org.store.get(id) : undefined;
    if (!id || !row?.IsDeleted) throw new ControlError(`No deleted record ${input.id}`);
    this.org.store.undelete(id, this.actor(input.asUser).user.id);
    return { id };
  }

  /** Empties the record from the Recycle Bin: gone from queryAll, still in the delete log. */
  sfPurge(input: { id: string }): { id: string } {
    const id = normalizeId(input.id);
    if (!id || !this.org.store.get(id)) throw new ControlError(`No record ${input.id}`);
    this.org.store.purge(id);
    return { id };
  }

  /** A record in wire form (datetimes `+0000`, formulas computed), deleted ones included. */
  sfGet(input: { id: string }): Record<string, unknown> | null {
    const found = this.org.store.find(normalizeId(input.id) ?? '');
    if (!found) return null;
    const out: Record<string, unknown> = {};
    for (const f of found.table.type.fields)
      out[f.name] = formatValue(f, SalesforceStore.read(found.table.type, found.record, f.name));
    return out;
  }

  convertLead(input: ConvertLeadInput & { asUser?: Actor }): ConvertLeadResult {
    try {
      return convertLead(this.org, input, this.actor(input.asUser).user.id);
    } catch (error) {
      throw new ControlError((error as Error).message);
    }
  }

  // ---- Salesforce auth, limits, schema ------------------------------------------------------

  /** A new session for a user ('admin' | 'standard' | username | id). kind 'ui' = a Lightning-only sid. */
  sfCreateSession(input: { user?: Actor; kind?: SessionKind } = {}): { sid: string; userId: string } {
    const who = input.user ?? 'admin';
    const byName = this.org.store.findUnique('User', 'Username', who);
    const userId = byName ?? this.actor(who).user.id;
    return { sid: this.org.auth.createSession(userId, input.kind ?? 'sid').token, userId };
  }

  /** Expires sessions and access tokens (all, or by token / user / kind): the next call gets 401. */
  expireSessions(input: { token?: string; userId?: string; kind?: SessionKind } = {}): { expired: number } {
    return { expired: this.org.auth.expireSessions(input) };
  }

  revokeRefreshTokens(input: { token?: string; userId?: string } = {}): { revoked: number } {
    return { revoked: this.org.auth.revokeRefreshTokens(input) };
  }

  blockOAuthApp(input: { blocked: boolean }): void {
    this.org.oauthBlocked = input.blocked;
  }

  /** The rolling 24 h allowance: its size and/or calls already used. */
  setSalesforceAllowance(input: { max?: number; used?: number }): { used: number; max: number } {
    if (input.max !== undefined) this.org.usage.max = input.max;
    if (input.used !== undefined) this.org.usage.setUsed(input.used);
    return { used: this.org.usage.used(), max: this.org.usage.max };
  }

  /**
   * Field-level security of one field for a profile. It does not move the object's metadata date,
   * so a describe with If-Modified-Since still answers 304: Salesforce documents the 304 for object
   * metadata changes only, and the sync must not count on a permission edit being one.
   */
  setFieldSecurity(input: {
    profile?: 'admin' | 'standard';
    object: string;
    field: string;
    access: 'hidden' | 'readOnly' | 'edit';
  }): void {
    const type = this.type(input.object);
    const f = type.field(input.field);
    if (!f) throw new ControlError(`Unknown field ${input.object}.${input.field}`);
    const profiles = input.profile ? [input.profile] : ['admin', 'standard'];
    for (const p of profiles) {
      const fs = this.org.store.schema.fieldSecurity(
        p === 'admin' ? this.org.principals.adminProfileId : this.org.principals.standardProfileId,
      );
      const key = `${type.name}.${f.name}`;
      fs.hidden.delete(key);
      fs.readOnly.delete(key);
      if (input.access === 'hidden') fs.hidden.add(key);
      if (input.access === 'readOnly') fs.readOnly.add(key);
    }
  }

  /** Activates or deactivates a validation rule of an object, as an admin does in Setup. */
  setValidationRule(input: { object: string; rule: string; active: boolean }): void {
    const type = this.type(input.object);
    if (!(type.def.validationRules ?? []).some((r) => r.name === input.rule)) {
      throw new ControlError(`Unknown validation rule ${input.object}.${input.rule}`);
    }
    const key = `${type.name}.${input.rule}`;
    if (input.active) this.org.store.schema.inactiveRules.delete(key);
    else this.org.store.schema.inactiveRules.add(key);
  }

  /** Adds a custom field (describe's If-Modified-Since then sees a change). */
  addField(input: {
    object: string;
    name: string;
    type: FieldType;
    label?: string;
    length?: number;
    picklist?: string[];
  }): void {
    const type = this.type(input.object);
    if (type.field(input.name)) throw new ControlError(`Field ${input.name} exists`);
    const def = fieldDef(input.name, input.type, {
      length: input.length ?? (input.type === 'string' ? 255 : undefined),
      picklist: input.picklist,
      ...(input.label ? { label: input.label } : {}),
    });
    type.addField(def, this.core.clock.now());
  }

  /** Deletes (or renames: its old name is gone the same way) an object in Setup: describe 404s, queries fail. */
  sfRemoveObject(input: { object: string }): void {
    if (!this.org.store.schema.remove(input.object)) throw new ControlError(`Unknown object ${input.object}`);
  }

  /** Merges contacts as a user does: roles and custom lookups move to the master, losers are deleted. */
  sfMergeContacts(input: { master: string; losers: string[] } & SfWrite): void {
    const who = this.actor(input.asUser);
    const ids = [input.master, ...input.losers].map((id) => normalizeId(id));
    for (const [i, id] of ids.entries())
      if (!id || this.org.store.get(id)?.IsDeleted !== false || !id.startsWith('003'))
        throw new ControlError(`No live contact ${[input.master, ...input.losers][i]}`);
    this.dml(() => mergeContacts(this.org, ids[0]!, ids.slice(1) as string[], who.user.id, who.at));
  }

  /** Tasks and Events in bulk, all in one second (issue 20, seeds/largeActivities.ts). */
  sfSeedActivities(input: ActivitySeed): { tasks: string[]; events: string[] } {
    return seedActivities(this.org, input);
  }

  /** Simulates the delete log being purged before `at` (earliestDateAvailable moves). */
  setDeletedLogStart(input: { object: string; at: string | number }): void {
    const at = typeof input.at === 'number' ? input.at : Date.parse(input.at);
    this.org.store.table(this.type(input.object).name).deletedLogStart = at;
  }

  // ---- Marketo ----------------------------------------------------------------------------

  mkCreateLead(input: { fields: Record<string, unknown> }): { id: number } {
    return { id: this.marketo(() => this.core.marketo.control.createLead(input.fields)) };
  }

  mkUpdateLead(input: { id: number; fields: Record<string, unknown> }): { changed: string[] } {
    return { changed: this.marketo(() => this.core.marketo.control.updateLead(input.id, input.fields)) };
  }

  /** Changes person fields with no Change Data Value activity (the feed never shows it). */
  mkUpdateLeadWithoutActivity(input: { id: number; fields: Record<string, unknown> }): { changed: string[] } {
    return {
      changed: this.marketo(() =>
        this.core.marketo.control.updateLeadWithoutActivity(input.id, input.fields),
      ),
    };
  }

  mkDeleteLead(input: { id: number }): { deleted: boolean } {
    return { deleted: this.marketo(() => this.core.marketo.control.deleteLead(input.id)) };
  }

  mkMergeLeads(input: { winner: number; losers: number[] }): void {
    this.marketo(() => this.core.marketo.control.mergeLeads(input.winner, input.losers));
  }

  mkCreateProgram(input: { name: string; type: Program['type']; channel: string; id?: number }): {
    id: number;
  } {
    return { id: this.marketo(() => this.core.marketo.control.createProgram(input)).id };
  }

  /** Links a program to a Salesforce campaign as Marketo's own sync would (null unlinks). */
  mkLinkProgram(input: { programId: number; campaign: { sfdcId: string; sfdcName: string } | null }): void {
    this.marketo(() => this.core.marketo.control.linkProgram(input.programId, input.campaign));
  }

  mkSetProgramCosts(input: {
    programId: number;
    costs: { startDate: string; cost: number; note?: string }[];
  }): void {
    this.marketo(() => this.core.marketo.control.setProgramCosts(input.programId, input.costs));
  }

  mkDeleteProgram(input: { programId: number }): void {
    this.marketo(() => this.core.marketo.control.deleteProgram(input.programId));
  }

  /** A Marketo user sets a member's program status (adds the member when absent). */
  mkSetMemberStatus(input: { programId: number; leadId: number; status: string }): { result: string } {
    return {
      result: this.marketo(() =>
        this.core.marketo.control.setMemberStatus(input.programId, input.leadId, input.status),
      ),
    };
  }

  mkRemoveMember(input: { programId: number; leadId: number }): { removed: boolean } {
    return {
      removed: this.marketo(() => this.core.marketo.control.removeMember(input.programId, input.leadId)),
    };
  }

  mkRenameProgressionStatus(input: { channel: string; from: string; to: string }): void {
    this.marketo(() =>
      this.core.marketo.control.renameProgressionStatus(input.channel, input.from, input.to),
    );
  }

  /** A program's members as stored: lead id → status name. */
  mkProgramMembers(input: { programId: number }): Record<number, string> {
    const members = this.core.marketo.store.programs.membersOf(input.programId);
    return Object.fromEntries([...members.values()].map((m) => [m.leadId, m.statusName]));
  }

  /** Marketo's own Salesforce sync on or off: the CRM object APIs answer 1018 "CRM Enabled" while on. */
  mkSetCrmSync(input: { enabled: boolean; refusal?: 'record' | 'response' }): void {
    this.core.marketo.control.setCrmSync(input.enabled, input.refusal);
  }

  /** Opportunities, roles, companies or sales persons as Marketo holds them. */
  mkCrmRecords(input: { kind: CrmKind }): Record<string, unknown>[] {
    return this.marketo(() => this.core.marketo.control.crmRecords(input.kind));
  }

  /** Records of a Marketo custom object type (by its API name). */
  mkCustomObjectRecords(input: { name: string }): Record<string, unknown>[] {
    return this.marketo(() => this.core.marketo.control.customObjectRecords(input.name));
  }

  /** Email assets as a Marketo user edits them (emulator/marketo/emailControl.ts). */
  mkEmail(input: EmailCommand): EmailCommandResult {
    return this.marketo(() => runEmailCommand(this.core.marketo.store.emails, input));
  }
  /** Custom activity types (issue 20): an admin's own, the instance limit, each type's activities. */
  mkCreateActivityType(input: customActivities.AdminActivityType): { id: number } {
    return this.marketo(() => customActivities.adminCreateActivityType(this.core.marketo.store, input));
  }
  mkSetActivityTypeLimit(input: { limit: number }): void {
    this.core.marketo.store.customActivities.typeLimit = input.limit;
  }
  mkActivityTypes() {
    return customActivities.listActivityTypes(this.core.marketo.store);
  }
  mkCustomActivities(input: { id?: number; apiName?: string }) {
    return customActivities.activitiesOfType(this.core.marketo.store, input);
  }

  mkExpireTokens(): void {
    this.core.marketo.control.expireTokens();
  }

  mkSetLimits(input: Partial<MarketoLimits>): MarketoLimits {
    this.core.marketo.control.setLimits(input);
    return this.core.marketo.control.getLimits();
  }

  mkUsage() {
    return this.core.marketo.control.usage();
  }

  private marketo<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw new ControlError((error as Error).message);
    }
  }

  // ---- Faults, counters, clock, data ------------------------------------------------------

  injectFault(spec: FaultSpec): Fault {
    return this.core.faults.add(spec);
  }

  removeFault(input: { id: string }): { removed: boolean } {
    return { removed: this.core.faults.remove(input.id) };
  }

  clearFaults(): void {
    this.core.faults.clear();
  }

  listFaults(): Fault[] {
    return this.core.faults.list();
  }

  counters() {
    return this.core.counters.snapshot();
  }

  resetCounters(): void {
    this.core.counters.reset();
  }

  now(): { now: number; iso: string } {
    const now = this.core.clock.now();
    return { now, iso: new Date(now).toISOString() };
  }

  advanceTime(input: { ms: number }): { now: number; iso: string } {
    this.core.clock.advance(input.ms);
    return this.now();
  }

  setTime(input: { at: string | number }): { now: number; iso: string } {
    this.core.clock.set(typeof input.at === 'number' ? input.at : Date.parse(input.at));
    return this.now();
  }

  reset(
    input: {
      seed?: SeedName;
      size?: number;
      rngSeed?: number;
      members?: number;
      opportunities?: number;
    } = {},
  ): SeedSummary {
    return this.core.reset(input.seed, input.size, input.rngSeed, input.members, input.opportunities);
  }

  /** Everything, for assertions: Salesforce rows per object (wire form) and the Marketo store. */
  snapshot() {
    const salesforce: Record<string, Record<string, unknown>[]> = {};
    for (const [name, table] of this.org.store.tables) {
      if (!table.records.size) continue;
      salesforce[name] = [...table.records.keys()].map((id) => this.sfGet({ id })!);
    }
    return { salesforce, marketo: this.core.marketo.snapshot() };
  }
}

/** Method names callable over HTTP. */
export const CONTROL_METHODS = Object.getOwnPropertyNames(EmulatorControl.prototype).filter(
  (name) => name !== 'constructor' && !['org', 'actor', 'dml', 'type', 'marketo'].includes(name),
) as (keyof EmulatorControl)[];

type Method<K extends keyof EmulatorControl> = EmulatorControl[K] extends (...args: infer A) => infer R
  ? (...args: A) => Promise<Awaited<R>>
  : never;
export type ControlClient = { [K in (typeof CONTROL_METHODS)[number]]: Method<K> };

/** The same control API over HTTP (for tests that run the emulator in another process). */
export function createControlClient(controlUrl: string, fetchImpl: typeof fetch = fetch): ControlClient {
  const base = controlUrl.replace(/\/$/, '');
  const client: Record<string, unknown> = {};
  for (const name of CONTROL_METHODS) {
    client[name] = async (arg?: unknown) => {
      const res = await fetchImpl(`${base}/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(arg ?? null),
      });
      const text = await res.text();
      const body = text ? JSON.parse(text) : undefined;
      if (!res.ok)
        throw new ControlError(body?.error ?? `Control call ${name} failed (${res.status})`, body?.code);
      return body?.result;
    };
  }
  return client as ControlClient;
}
