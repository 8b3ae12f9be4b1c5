// Test/demo hooks: change persons *as a Marketo user would* (so the change feeds see them), expire
// tokens, and tune limits and instance settings.
import type { NewActivity } from './activityLog';
import type { CrmKind } from './crmObjects';
import type { CustomObjectTypeInput } from './customObjectStore';
import { FIELD_BY_NAME } from './fields';
import type { IdentityService } from './identity';
import { createLead, deleteLead, mergeLeads, USER_ORIGIN, updateLead } from './leadOps';
import type { Lead, LeadValue } from './leadStore';
import { coerceLeadValue } from './leadValues';
import { type MarketoLimits, quotaDay, type RateLimiter } from './limits';
import { changeMemberStatus, removeMember } from './memberOps';
import type { Program } from './programStore';
import type { MarketoSettings, MarketoStore } from './store';

export class MarketoControlError extends Error {}

const USER_REASON = 'Changed by user';

function typedValues(fields: Record<string, unknown>): Record<string, LeadValue> {
  const values: Record<string, LeadValue> = {};
  for (const [name, raw] of Object.entries(fields)) {
    const field = FIELD_BY_NAME.get(name);
    if (!field || name === 'id' || name === 'createdAt' || name === 'updatedAt') {
      throw new MarketoControlError(`Unknown or system lead field '${name}'`);
    }
    const coerced = coerceLeadValue(field, raw);
    if (!coerced.ok) throw new MarketoControlError(`${name}: ${coerced.message}`);
    values[name] = coerced.value;
  }
  return values;
}

export function createControl(deps: {
  store: MarketoStore;
  identity: IdentityService;
  limiter: RateLimiter;
  setProcessingDelay: (ms: number) => void;
}) {
  const { store, identity, limiter } = deps;
  const lead = (id: number): Lead => {
    const found = store.leads.get(id);
    if (!found) throw new MarketoControlError(`Marketo lead ${id} not found`);
    return found;
  };
  const program = (id: number): Program => {
    const found = store.programs.programs.get(id);
    if (!found) throw new MarketoControlError(`Marketo program ${id} not found`);
    return found;
  };
  return {
    expireTokens: (): void => identity.expireAll(),
    /** False when the token was never issued. */
    expireToken: (token: string): boolean => identity.expire(token),
    setLimits: (partial: Partial<MarketoLimits>): void => limiter.set(partial),
    getLimits: (): MarketoLimits => ({ ...limiter.limits }),
    resetUsage: (): void => limiter.resetUsage(),
    usage: () => ({
      callsInWindow: limiter.callsInWindow(),
      concurrent: limiter.concurrent,
      today: limiter.usage([quotaDay(store.now())])[0]!,
    }),
    setSfdcFieldsCrmManaged: (managed: boolean): void => {
      store.settings.sfdcFieldsCrmManaged = managed;
    },
    setSettings: (partial: Partial<MarketoSettings>): void => {
      store.settings = { ...store.settings, ...partial };
    },
    setProcessingDelayMs: (ms: number): void => deps.setProcessingDelay(ms),
    setCustomObjectsEnabled: (enabled: boolean): void => {
      store.customObjects.enabled = enabled;
    },
    /** Returns the names of the fields that changed (one Change Data Value activity each). */
    updateLead: (id: number, fields: Record<string, unknown>): string[] =>
      updateLead(store, lead(id), typedValues(fields), USER_ORIGIN),
    /**
     * Changes values with no activity and no updatedAt bump, as a back-end data fix would: only a
     * full read of the person can see it. Returns the names of the fields whose value changed.
     */
    updateLeadWithoutActivity: (id: number, fields: Record<string, unknown>): string[] => {
      const target = lead(id);
      const changed: string[] = [];
      for (const [name, raw] of Object.entries(typedValues(fields))) {
        const value = raw === undefined || raw === '' ? null : raw;
        const old = target.values[name] ?? null;
        if (old === value) continue;
        store.leads.reindex(target, name, old, value);
        if (value === null) delete target.values[name];
        else target.values[name] = value;
        changed.push(name);
      }
      return changed;
    },
    createLead: (fields: Record<string, unknown>): number =>
      createLead(store, typedValues(fields), USER_ORIGIN).id,
    /** False when no such lead exists. */
    deleteLead: (id: number): boolean => deleteLead(store, id),
    mergeLeads: (winner: number, losers: number[]): void =>
      mergeLeads(store, lead(winner), losers.map(lead), USER_ORIGIN, false),
    /** Logs any activity (form fill, email click…) for a person; returns its id. */
    logActivity: (activity: Omit<NewActivity, 'date' | 'attributes'> & Partial<NewActivity>): number => {
      lead(activity.leadId);
      return store.activities.append({ attributes: [], date: store.now(), ...activity }).id;
    },
    createProgram: (input: Pick<Program, 'name' | 'type' | 'channel'> & Partial<Program>): Program =>
      store.programs.create(input),
    /**
     * Links a program to a Salesforce campaign as Marketo's own campaign sync would (program
     * responses then carry sfdcId/sfdcName); REST has no setter (api-facts E2.6). null unlinks.
     */
    linkProgram: (programId: number, campaign: { sfdcId: string; sfdcName: string } | null): void => {
      const target = program(programId);
      if (campaign) Object.assign(target, campaign);
      else {
        delete target.sfdcId;
        delete target.sfdcName;
      }
      target.updatedAt = store.now();
    },
    /** A user sets the program's period costs (Marketo then bumps its updatedAt). */
    setProgramCosts: (programId: number, costs: NonNullable<Program['costs']>): void => {
      const target = program(programId);
      target.costs = costs.map((c) => ({ ...c }));
      target.updatedAt = store.now();
    },
    /** A user deletes the program; its members go with it. */
    deleteProgram: (programId: number): void => {
      program(programId);
      store.programs.programs.delete(programId);
      store.programs.members.delete(programId);
    },
    /** A user (or a flow step) sets a member's status, forwards or back; adds the member if absent. */
    setMemberStatus: (
      programId: number,
      leadId: number,
      statusName: string,
    ): 'created' | 'updated' | 'unchanged' => {
      const target = program(programId);
      const status = store.programs.statusesOf(target).find((s) => s.name === statusName);
      if (!status) throw new MarketoControlError(`Program status '${statusName}' not found`);
      lead(leadId);
      const change = changeMemberStatus(store, target, leadId, status, {
        forward: false,
        reason: USER_REASON,
      });
      // Already at that status: nothing changes, nothing is logged.
      if (change.kind === 'skipped') return 'unchanged';
      return change.kind;
    },
    /** A user removes a member; false when the lead was not one. */
    removeMember: (programId: number, leadId: number): boolean =>
      removeMember(store, program(programId), leadId, USER_REASON),
    /** Renames a progression status of a channel (members keep the old name, as Marketo documents). */
    renameProgressionStatus: (channel: string, from: string, to: string): void => {
      const found = store.programs.channels.get(channel);
      const status = found?.progressionStatuses.find((s) => s.name === from);
      if (!found || !status) throw new MarketoControlError(`No status '${from}' in channel '${channel}'`);
      status.name = to;
      found.updatedAt = store.now();
    },
    defineCustomObject: (input: CustomObjectTypeInput): void => {
      store.customObjects.define(input);
    },
    /** Marketo's own CRM sync on or off (1018 "CRM Enabled" on the CRM object APIs, docs/objects.md). */
    setCrmSync: (enabled: boolean, refusal?: MarketoSettings['crmRefusal']): void => {
      store.settings = {
        ...store.settings,
        crmSyncEnabled: enabled,
        ...(refusal && { crmRefusal: refusal }),
      };
    },
    /** Records of one CRM object as stored: their key (marketoGUID or id) and values. */
    crmRecords: (kind: CrmKind): Record<string, unknown>[] =>
      [...store.crm.tables[kind].records.values()].map((r) => ({ key: r.key, ...r.values })),
    /** Records of one custom object type as stored. */
    customObjectRecords: (name: string): Record<string, unknown>[] => {
      const type = store.customObjects.types.get(name);
      if (!type) throw new MarketoControlError(`Custom object '${name}' not found`);
      return [...type.records.values()].map((r) => ({ marketoGUID: r.marketoGUID, ...r.values }));
    },
  };
}

export type MarketoControl = ReturnType<typeof createControl>;
