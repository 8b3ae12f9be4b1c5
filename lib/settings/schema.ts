import { z } from 'zod';
import {
  DEFAULT_ACCOUNT_FIELDS,
  DEFAULT_CONTACT_FIELDS,
  DEFAULT_LEAD_FIELDS,
  type FieldMapping,
} from './defaultMappings';

// The sync settings (design §7 Options): one strict zod schema, plain JSON data, every field with a
// default. Strict objects refuse unknown keys so a typo in an import ("intervalMinute") is an error
// that names the key instead of a setting silently ignored.

/** Bumped with every change to the stored shape; each bump adds a migration in migrations.ts. */
export const SETTINGS_VERSION = 8;

/** Salesforce objects the sync knows, by API name. Custom objects (`…__c`) are accepted too. */
export const STANDARD_SYNC_OBJECTS = [
  'Lead',
  'Contact',
  'Account',
  'Opportunity',
  'OpportunityContactRole',
  'Campaign',
  'CampaignMember',
  'Task',
  'Event',
  'User',
  'EmailTemplate',
] as const;
export type StandardSyncObject = (typeof STANDARD_SYNC_OBJECTS)[number];

/**
 * The objects the engine has steps for today (lib/sync/operations). The settings keep a switch for
 * every object the sync knows, so imports stay valid as objects are added; the options page offers
 * only these, so that no switch there does nothing.
 */
export const ENGINE_SYNCED_OBJECTS: readonly StandardSyncObject[] = [
  'Lead',
  'Contact',
  'Account',
  'Campaign',
  'CampaignMember',
  'Opportunity',
  'OpportunityContactRole',
  'User',
  'EmailTemplate',
  // Update Activities, Pull Updates and Push Updates of Tasks and Events (issue 20, docs/activities.md).
  'Task',
  'Event',
];

/**
 * The synced objects whose field mapping the engine applies (persons and their accounts). Campaigns
 * and members sync through their program pairs (`programPairs`), not a field mapping, so the
 * options page offers them only their switch.
 */
export const FIELD_MAPPED_OBJECTS: readonly StandardSyncObject[] = ['Lead', 'Contact', 'Account'];

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
export const salesforceApiName = z
  .string()
  .max(80)
  .regex(API_NAME, 'not a Salesforce API name (letters, digits and _)');
const marketoFieldName = z.string().max(80).regex(API_NAME, 'not a Marketo REST field name');

const CUSTOM_OBJECT = /^[A-Za-z][A-Za-z0-9_]*__c$/;
const syncObjectName = z
  .string()
  .refine(
    (name) => (STANDARD_SYNC_OBJECTS as readonly string[]).includes(name) || CUSTOM_OBJECT.test(name),
    `not an object the sync handles (${STANDARD_SYNC_OBJECTS.join(', ')} or a custom object …__c)`,
  );

export const fieldMappingSchema = z.strictObject({
  salesforceField: salesforceApiName,
  marketoField: marketoFieldName,
  direction: z.enum(['pull', 'push', 'both', 'none']),
});

/**
 * Fields the sync itself owns: the ids and the link fields that tie a person to its Salesforce
 * record (lib/sync/linkage.ts). A mapping that wrote them would break the link.
 */
const MARKETO_LINK_FIELDS = new Set(
  ['id', 'sfdcLeadId', 'sfdcContactId', 'sfdcAccountId', 'sfdcType'].flatMap((f) => [f, `${f}Custom`]),
);
const SALESFORCE_ID_FIELDS = new Set(['Id', 'ConvertedContactId', 'ConvertedAccountId', 'MasterRecordId']);

type Mapping = z.output<typeof fieldMappingSchema>;
const writesMarketo = (f: Mapping) => f.direction === 'pull' || f.direction === 'both';
const writesSalesforce = (f: Mapping) => f.direction === 'push' || f.direction === 'both';

/** Two sources for one target would write whichever came last (Marketo `title` held the phone). */
function refineMappings(fields: Mapping[], ctx: z.RefinementCtx) {
  const marketoTargets = new Map<string, number>();
  const salesforceTargets = new Map<string, number>();
  fields.forEach((f, i) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [i, path], message });
    if (f.direction !== 'none' && MARKETO_LINK_FIELDS.has(f.marketoField))
      issue('marketoField', `${f.marketoField} links the person to Salesforce; the sync writes it itself`);
    if (f.direction !== 'none' && SALESFORCE_ID_FIELDS.has(f.salesforceField))
      issue('salesforceField', `${f.salesforceField} is an id field; it cannot be mapped`);
    if (writesMarketo(f)) {
      const first = marketoTargets.get(f.marketoField.toLowerCase());
      if (first !== undefined)
        issue(
          'marketoField',
          `Marketo field ${f.marketoField} is already written from ${fields[first]!.salesforceField}`,
        );
      else marketoTargets.set(f.marketoField.toLowerCase(), i);
    }
    if (writesSalesforce(f)) {
      const first = salesforceTargets.get(f.salesforceField.toLowerCase());
      if (first !== undefined)
        issue(
          'salesforceField',
          `Salesforce field ${f.salesforceField} is already written from ${fields[first]!.marketoField}`,
        );
      else salesforceTargets.set(f.salesforceField.toLowerCase(), i);
    }
  });
}

export const objectSettingsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Who wins when both sides changed the same field since the last cycle. */
  conflictWinner: z.enum(['salesforce', 'marketo']).default('salesforce'),
  fields: z.array(fieldMappingSchema).max(500).default([]).superRefine(refineMappings),
});
export type ObjectSettings = z.output<typeof objectSettingsSchema>;

const objectDefaults = (enabled: boolean, fields: FieldMapping[] = []): ObjectSettings => ({
  enabled,
  conflictWinner: 'salesforce',
  fields: fields.map((f) => ({ ...f })),
});

export function defaultObjects(): Record<string, ObjectSettings> {
  const objects: Record<string, ObjectSettings> = {};
  for (const name of STANDARD_SYNC_OBJECTS) objects[name] = objectDefaults(false);
  objects.Lead = objectDefaults(true, DEFAULT_LEAD_FIELDS);
  objects.Contact = objectDefaults(true, DEFAULT_CONTACT_FIELDS);
  objects.Account = objectDefaults(true, DEFAULT_ACCOUNT_FIELDS);
  return objects;
}

const activityTypeSchema = z.strictObject({
  id: z.number().int().positive(),
  name: z.string().min(1).max(100),
});

/**
 * A noisy number field whose small changes are not synced (lib/sync/thresholds.ts applies it).
 * The field is named on the side the change comes from: Push Updates (Marketo → Salesforce) looks
 * it up by its Marketo name (`leadScore`), Pull Updates (Salesforce → Marketo) by its Salesforce API
 * name (`NumberOfEmployees`); name both to hold back a field synced both ways in both directions.
 */
const changeThresholdSchema = z.strictObject({
  /** A mapped field, by its name on the side the change comes from (see above). */
  field: z.string().regex(API_NAME, 'not a field API name'),
  /**
   * Changes smaller than this, measured from the value last synced, are Skipped (with the reason on
   * the record): "a score moving 60→61". Small changes add up until they reach it.
   */
  minDelta: z.number().positive(),
});

/** A Salesforce record id, 15 or 18 characters. */
const salesforceId = z.string().regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'not a Salesforce id');
/** CampaignMember.Status stores the status label in 40 characters (api-facts-objects E1). */
const campaignStatus = z.string().trim().min(1).max(40);
const programStatus = z.string().trim().min(1).max(255);
/** Step 0 of every Marketo channel: not a membership status, it means "remove" (docs/campaigns.md). */
export const NOT_IN_PROGRAM = 'Not in Program';

export const statusMappingSchema = z.strictObject({
  salesforceStatus: campaignStatus,
  marketoStatus: programStatus,
});

/**
 * One Salesforce campaign linked to one Marketo program (Marketo links them one to one, E3). The
 * statuses each side had when the admin chose the pair are kept with it, so the mapping can be
 * checked here; a status without a mapping maps to the same label on the other side. The sync
 * re-reads both lists and fails a member whose status has gone (lib/sync/operations/programs/).
 */
export const programPairSchema = z
  .strictObject({
    campaignId: salesforceId.refine((id) => id.startsWith('701'), 'not a Campaign id (starts with 701)'),
    campaignName: z.string().max(80).default(''),
    programId: z.number().int().positive(),
    programName: z.string().max(255).default(''),
    /** Which way members move: both (Marketo's campaign sync), or one way only. */
    direction: z.enum(['both', 'toProgram', 'toCampaign']).default('both'),
    campaignStatuses: z.array(campaignStatus).min(1).max(100),
    programStatuses: z.array(programStatus).min(1).max(100),
    statusMap: z.array(statusMappingSchema).max(100).default([]),
    /**
     * The campaign field that gets the program's cost (the sum of its period costs), Marketo →
     * Salesforce as Marketo's own sync does; absent: the cost is not synced.
     */
    costField: z.enum(['ActualCost', 'BudgetedCost']).optional(),
  })
  .superRefine((pair, ctx) => {
    const seen = new Set<string>();
    pair.statusMap.forEach((m, i) => {
      const issue = (field: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: ['statusMap', i, field], message });
      if (!pair.campaignStatuses.includes(m.salesforceStatus))
        issue('salesforceStatus', `campaign ${pair.campaignId} has no member status "${m.salesforceStatus}"`);
      if (m.marketoStatus === NOT_IN_PROGRAM)
        issue('marketoStatus', `"${NOT_IN_PROGRAM}" is not a membership status`);
      else if (!pair.programStatuses.includes(m.marketoStatus))
        issue('marketoStatus', `program ${pair.programId} has no status "${m.marketoStatus}"`);
      if (seen.has(m.salesforceStatus)) issue('salesforceStatus', `"${m.salesforceStatus}" is mapped twice`);
      seen.add(m.salesforceStatus);
    });
  });
export type ProgramPair = z.output<typeof programPairSchema>;

/** Marketo links a program to one campaign and a campaign to one program (E3). */
function refinePairs(pairs: ProgramPair[], ctx: z.RefinementCtx) {
  const programs = new Map<number, number>();
  const campaigns = new Map<string, number>();
  pairs.forEach((pair, i) => {
    const campaign = pair.campaignId.slice(0, 15);
    const otherProgram = programs.get(pair.programId);
    if (otherProgram !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [i, 'programId'],
        message: `program ${pair.programId} is already linked to campaign ${pairs[otherProgram]!.campaignId}`,
      });
    else programs.set(pair.programId, i);
    const otherCampaign = campaigns.get(campaign);
    if (otherCampaign !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [i, 'campaignId'],
        message: `campaign ${pair.campaignId} is already linked to program ${pairs[otherCampaign]!.programId}`,
      });
    else campaigns.set(campaign, i);
  });
}

/**
 * A value rule (docs/dashboard-errors.md): a value Salesforce refuses, written as the value it takes
 * instead — "CA" → "California" where a validation rule or a restricted picklist wants full names.
 * Applied on the way out only, to Marketo → Salesforce writes of one field of one object
 * (lib/sync/valueRules.ts); `from` matches the outgoing value trimmed and ignoring case.
 */
export const valueRuleSchema = z.strictObject({
  /** The Salesforce object written: persons are pushed as Lead or Contact. */
  object: z.enum(['Lead', 'Contact']),
  /** The Salesforce field, by API name. */
  field: salesforceApiName,
  from: z.string().trim().min(1, 'the value to replace is empty').max(255),
  to: z.string().trim().min(1, 'the value to write is empty').max(255),
});
export type ValueRule = z.output<typeof valueRuleSchema>;

/** One rule per value of a field: a second would leave which one applies to the order of the list. */
function refineValueRules(rules: ValueRule[], ctx: z.RefinementCtx) {
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [i, path], message });
    if (rule.from.toLowerCase() === rule.to.toLowerCase())
      issue('to', `"${rule.from}" → "${rule.to}" changes nothing`);
    const key = `${rule.object}.${rule.field} ${rule.from}`.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined)
      issue('from', `${rule.object}.${rule.field} already has a rule for "${rules[first]!.from}"`);
    else seen.set(key, i);
  });
}

/** A Marketo API name (custom object, field): letters, digits and _. */
const marketoApiName = z.string().max(100).regex(API_NAME, 'not a Marketo API name (letters, digits and _)');

/**
 * Where a Salesforce custom object syncs to (issue 19, docs/objects.md): the Marketo custom object,
 * and the lookups to Lead or Contact that name each record's person — the first one set wins. Its
 * switch and field mapping are `objects[<name>__c]`, like any object's.
 */
export const customObjectSchema = z.strictObject({
  marketoObject: marketoApiName,
  linkFields: z.array(salesforceApiName).max(5).default([]),
});
export type CustomObjectSettings = z.output<typeof customObjectSchema>;

const customObjectName = z.string().regex(CUSTOM_OBJECT, 'not a custom object (…__c)');

/** An enabled custom object syncs only with its Marketo object and a link field. */
function refineCustomObjects(
  settings: { objects: Record<string, ObjectSettings>; customObjects: Record<string, CustomObjectSettings> },
  ctx: z.RefinementCtx,
) {
  for (const [name, object] of Object.entries(settings.objects)) {
    if (!CUSTOM_OBJECT.test(name) || !object.enabled) continue;
    const target = settings.customObjects[name];
    if (!target)
      ctx.addIssue({
        code: 'custom',
        path: ['customObjects', name],
        message: `${name} is switched on without a Marketo custom object to sync to`,
      });
    else if (target.linkFields.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['customObjects', name, 'linkFields'],
        message: `${name} needs a link field: the lookup to Lead or Contact that names each record's person`,
      });
  }
}

/** A Task or Event `Type` picklist value (Salesforce keeps 40 characters). */
const activityTypeValue = z
  .string()
  .trim()
  .min(1, 'an empty Type')
  .max(40, 'longer than a Salesforce Type value (40 characters)');

/**
 * Update Activities (issue 20, docs/activities.md): which Salesforce Tasks and Events become
 * activities on the Marketo person. Only the types listed here are sent — the best-practices advice
 * to send meaningful activities only; the `objects.Task` / `objects.Event` switches turn each on.
 * An empty list sends none of that object.
 */
export const updateActivitiesSchema = z.strictObject({
  taskTypes: z
    .array(activityTypeValue)
    .max(50)
    .default(() => ['Call', 'Meeting']),
  eventTypes: z
    .array(activityTypeValue)
    .max(50)
    .default(() => ['Meeting']),
});

/** A Marketo email folder: a folder or a program, the two kinds Marketo's asset API browses. */
export const marketoFolderSchema = z.strictObject({
  id: z.number().int().positive(),
  type: z.enum(['Folder', 'Program']),
  name: z.string().max(255).default(''),
});

/**
 * Email Template Push New / Push Updates (issue 20, docs/email-templates.md): approved Marketo
 * emails in these folders become Salesforce email templates in one Salesforce folder. The
 * `objects.EmailTemplate` switch turns it on; it then needs both sides' folders.
 */
export const emailTemplatesSchema = z.strictObject({
  marketoFolders: z.array(marketoFolderSchema).max(20).default([]),
  /** A Salesforce Folder of type Email (ids start with 00l). */
  salesforceFolderId: salesforceId
    .refine((id) => id.startsWith('00l'), 'not a Folder id (starts with 00l)')
    .nullable()
    .default(null),
  salesforceFolderName: z.string().max(255).default(''),
});

/** Email templates switched on need a Marketo folder to read and a Salesforce folder to write. */
function refineEmailTemplates(
  settings: {
    objects: Record<string, ObjectSettings>;
    emailTemplates: z.output<typeof emailTemplatesSchema>;
  },
  ctx: z.RefinementCtx,
) {
  if (!settings.objects.EmailTemplate?.enabled) return;
  if (settings.emailTemplates.marketoFolders.length === 0)
    ctx.addIssue({
      code: 'custom',
      path: ['emailTemplates', 'marketoFolders'],
      message: 'Email templates are switched on without a Marketo folder to read approved emails from',
    });
  if (!settings.emailTemplates.salesforceFolderId)
    ctx.addIssue({
      code: 'custom',
      path: ['emailTemplates', 'salesforceFolderId'],
      message: 'Email templates are switched on without a Salesforce email folder to write them to',
    });
}

export const syncSettingsSchema = z
  .strictObject({
    version: z.literal(SETTINGS_VERSION).default(SETTINGS_VERSION),
    intervalMinutes: z.number().int().min(1).max(60).default(5),
    paused: z.boolean().default(false),
    objects: z.record(syncObjectName, objectSettingsSchema).prefault(defaultObjects),
    /** Checkbox on the Salesforce record; when true the record is excluded. null = no filter. */
    syncFilterField: salesforceApiName.nullable().default('Do_Not_Sync_to_Marketo__c'),
    /**
     * Marketo activity types that become Salesforce Tasks. At most 10: the activities endpoint
     * takes at most 10 type ids per call, so the list costs one call per page.
     */
    taskActivityTypes: z
      .array(activityTypeSchema)
      .max(10)
      .default(() => [
        { id: 2, name: 'Fill Out Form' },
        // Named "Click Email" in Marketo's activity types; the admin UI calls it this.
        { id: 11, name: 'Click Link in Email' },
      ]),
    personLabel: z.enum(['Lead', 'Person']).default('Lead'),
    retentionDays: z.number().int().min(1).max(90).default(5),
    apiBudget: z
      .strictObject({
        /** Share of Salesforce's daily API request allowance the sync may spend (0–1). */
        salesforceDailyShare: z.number().min(0).max(1).default(0.5),
        /** Marketo calls per day the sync may spend (Marketo's default quota is 50,000). */
        marketoDailyCalls: z.number().int().min(0).max(10_000_000).default(10_000),
      })
      .prefault({}),
    notifyOnFailure: z.boolean().default(true),
    changeThresholds: z
      .array(changeThresholdSchema)
      .max(100)
      .default(() => [{ field: 'leadScore', minDelta: 5 }]),
    /**
     * Reconcile (design §10): reads every linked record on both sides and flags those that disagree,
     * on its own schedule, spending at most a share of the sync's daily API allowance.
     */
    reconcile: z
      .strictObject({
        /** Hours between two full comparisons (24 = daily). */
        intervalHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 30)
          .default(24),
        /**
         * Share (0–1) of the sync's daily API allowance on each side (apiBudget above) that Reconcile
         * may spend per day; past it, it stops where it got to and goes on the next day.
         */
        maxApiShare: z.number().min(0).max(1).default(0.2),
      })
      .prefault({}),
    /** Salesforce custom objects → Marketo custom objects (issue 19): target and link fields per object. */
    customObjects: z.record(customObjectName, customObjectSchema).default({}),
    /** Campaign ⇄ program pairs (Sync to Program, Init Link to Program; needs Campaign enabled). */
    programPairs: z.array(programPairSchema).max(200).default([]).superRefine(refinePairs),
    retry: z
      .strictObject({
        /** Attempts per failed record, the first included; then it stays failed until it changes. */
        maxAttempts: z.number().int().min(1).max(20).default(5),
        /** Wait before the 2nd attempt; doubled for each further one. */
        backoffBaseMinutes: z.number().int().min(1).max(1440).default(5),
        /**
         * Retries of failed records pause once this share (0–1) of today's API allocation (apiBudget,
         * either side) is spent, so that retrying known failures cannot use up what new changes need
         * (lib/sync/retryPause.ts). 1 = retry until the allocation is spent.
         */
        pauseAtAllocationShare: z.number().min(0).max(1).default(0.75),
      })
      .prefault({}),
    /** Values Salesforce refuses, written as the value it takes (docs/dashboard-errors.md). */
    valueRules: z.array(valueRuleSchema).max(500).default([]).superRefine(refineValueRules),
    /** Salesforce Tasks and Events → Marketo activities (Update Activities). */
    updateActivities: updateActivitiesSchema.prefault({}),
    /** Approved Marketo emails → Salesforce email templates. */
    emailTemplates: emailTemplatesSchema.prefault({}),
  })
  .superRefine(refineCustomObjects)
  .superRefine(refineEmailTemplates);

export type SyncSettings = z.output<typeof syncSettingsSchema>;
/** What may be handed to the parser: any subset, the rest takes defaults. */
export type SyncSettingsInput = z.input<typeof syncSettingsSchema>;

export function defaultSettings(): SyncSettings {
  return syncSettingsSchema.parse({});
}
