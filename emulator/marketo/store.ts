// Everything the Marketo emulator holds, plus the instance settings that change its behaviour.
// One object shared by the HTTP routes, the control API and the seeder.
import { ActivityLog } from './activityLog';
import { CustomObjectStore } from './customObjectStore';
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
}

export const DEFAULT_SETTINGS: MarketoSettings = {
  sfdcFieldsCrmManaged: true,
  crmManagedWrites: 'skip',
  mergeWritesDeleteActivity: false,
  activityPageSize: 300,
  activityScanLimit: 3000,
  deletedLeadRetentionMs: 14 * 24 * 3_600_000,
  maxFilterMatches: 1000,
};

export class MarketoStore {
  readonly leads = new LeadStore();
  readonly activities = new ActivityLog();
  readonly programs: ProgramStore;
  readonly customObjects: CustomObjectStore;
  settings: MarketoSettings;

  constructor(
    readonly now: () => number,
    settings: Partial<MarketoSettings> = {},
  ) {
    this.programs = new ProgramStore(now);
    this.customObjects = new CustomObjectStore(now);
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
  }

  /** Empties all data (settings stay). */
  clear(): void {
    this.leads.clear();
    this.activities.clear();
    this.programs.clear();
    this.customObjects.clear();
  }
}
