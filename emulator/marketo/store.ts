// Everything the Marketo emulator holds, plus the instance settings that change its behaviour.
// One object shared by the HTTP routes, the control API and the seeder.
import { ActivityLog } from './activityLog';
import { CrmObjectStore } from './crmObjectStore';
import { CustomActivityStore } from './customActivityStore';
import { CustomObjectStore } from './customObjectStore';
import { EmailStore } from './emailStore';
import { LeadStore } from './leadStore';
import { ProgramStore } from './programStore';

export interface MarketoSettings {
  /** SFDC linkage fields are system-managed (native CRM sync instance); api-facts B10 default. */
  sfdcFieldsCrmManaged: boolean;
  /** What sync does with writes to CRM-managed fields: skip the record (1003) or drop the field. */
  crmManagedWrites: 'skip' | 'ignore';
  /** Whether merged-away leads also get a Delete Lead (37) activity (unconfirmed, api-facts D9). */
  mergeWritesDeleteActivity: boolean;
  /** Activities per page at most (Marketo: 300). Lower it to get short pages with moreResult. */
  activityPageSize: number;
  /** Activities looked at per call; filtered feeds return short pages beyond this. */
  activityScanLimit: number;
  /** deletedleads.json drops deletions older than this (swagger: 14 days). */
  deletedLeadRetentionMs: number;
  /** Get Leads by Filter Type refuses more matches than this (1003). */
  maxFilterMatches: number;
  /**
   * Marketo's own CRM sync is on: the opportunity, company and sales person APIs refuse writes with
   * 1018 "CRM Enabled" and the opportunity role API answers 1018 (api-facts E2.1, docs/objects.md).
   */
  crmSyncEnabled: boolean;
  /** Where that 1018 comes: on each record (default; error-codes.md lists it so) or the whole call. */
  crmRefusal: 'record' | 'response';
}

export const DEFAULT_SETTINGS: MarketoSettings = {
  sfdcFieldsCrmManaged: true,
  crmManagedWrites: 'skip',
  mergeWritesDeleteActivity: false,
  activityPageSize: 300,
  activityScanLimit: 3000,
  deletedLeadRetentionMs: 14 * 24 * 3_600_000,
  maxFilterMatches: 1000,
  crmSyncEnabled: false,
  crmRefusal: 'record',
};

export class MarketoStore {
  readonly leads = new LeadStore();
  readonly activities = new ActivityLog();
  readonly programs: ProgramStore;
  readonly customObjects: CustomObjectStore;
  /** Email assets and their folders (issue 20, emailStore.ts). */
  readonly emails: EmailStore;
  /** Opportunities, opportunity roles, companies and sales persons (crmObjects.ts). */
  readonly crm = new CrmObjectStore();
  /** Custom activity types (issue 20, customActivityTypes.ts). */
  readonly customActivities: CustomActivityStore;
  /** createdAt/updatedAt of those object types in their describe. */
  readonly crmDefinedAt: number;
  settings: MarketoSettings;

  constructor(
    readonly now: () => number,
    settings: Partial<MarketoSettings> = {},
  ) {
    this.programs = new ProgramStore(now);
    this.customObjects = new CustomObjectStore(now);
    this.emails = new EmailStore(now, this.programs);
    this.customActivities = new CustomActivityStore(now);
    this.crmDefinedAt = now();
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
  }

  /** Empties all data (settings stay). */
  clear(): void {
    this.leads.clear();
    this.activities.clear();
    this.programs.clear();
    this.customObjects.clear();
    this.crm.clear();
    this.emails.clear();
    this.customActivities.clear();
  }
}
