// lib/marketo: the only code that talks to the Marketo API. The engine gets typed results and
// typed errors (MarketoApiError, ResponseShapeError), never raw HTTP.
import { ApiCallCounter } from '../http/ports';
import { MarketoActivities } from './activities';
import { MarketoTransport, type MarketoTransportOptions } from './client';
import { crmObjects, type MarketoCrmObject } from './crmObjects';
import { MarketoCustomActivities } from './customActivities';
import { MarketoCustomObjects } from './customObjects';
import { MarketoEmails } from './emails';
import { MarketoLeads } from './leads';
import { MarketoPrograms } from './programs';

export interface MarketoClient {
  leads: MarketoLeads;
  activities: MarketoActivities;
  programs: MarketoPrograms;
  customObjects: MarketoCustomObjects;
  /** Email assets and their folders (issue 20). */
  emails: MarketoEmails;
  /** Custom activity types and Add Custom Activities (issue 20). */
  customActivities: MarketoCustomActivities;
  /** Opportunities, opportunity roles, companies and sales persons (crmObjects.ts). */
  opportunities: MarketoCrmObject;
  opportunityRoles: MarketoCrmObject;
  companies: MarketoCrmObject;
  salesPersons: MarketoCrmObject;
  transport: MarketoTransport;
}

export type MarketoClientOptions = Omit<MarketoTransportOptions, 'counter'> & { counter?: ApiCallCounter };

export function createMarketoClient(options: MarketoClientOptions): MarketoClient {
  const transport = new MarketoTransport({ ...options, counter: options.counter ?? new ApiCallCounter() });
  return {
    leads: new MarketoLeads(transport),
    activities: new MarketoActivities(transport),
    programs: new MarketoPrograms(transport),
    customObjects: new MarketoCustomObjects(transport),
    emails: new MarketoEmails(transport),
    customActivities: new MarketoCustomActivities(transport),
    ...crmObjects(transport),
    transport,
  };
}

export type { ActivityFeedOptions, FeedPage, LeadChangeFeedOptions } from './activities';
export { MarketoActivities } from './activities';
export type { MarketoCall, MarketoTransportOptions } from './client';
export { MarketoTransport } from './client';
export type { CrmSyncRequest, MarketoCrmRecord } from './crmObjects';
export { MarketoCrmObject } from './crmObjects';
export type {
  ActivityTypeAttribute,
  CustomActivityInput,
  MarketoCustomActivityType,
} from './customActivities';
export { MarketoCustomActivities } from './customActivities';
export type { CustomObjectQuery, CustomObjectSyncRequest } from './customObjects';
export { MarketoCustomObjects } from './customObjects';
export type { MarketoAssetFolder, MarketoEmail, MarketoEmailSection } from './emailSchemas';
export type { EmailFolderRef } from './emails';
export { MarketoEmails } from './emails';
export type { MarketoEnvelope, MarketoRecordOutcome } from './envelope';
export { MARKETO_BATCH } from './envelope';
export type { MarketoErrorKind } from './errors';
export { MarketoApiError } from './errors';
export type { MarketoCredentials, MarketoCredentialsPort } from './identity';
export { marketoCredentialsSchema } from './identity';
export type {
  LeadFilter,
  LeadSyncAction,
  LeadSyncRequest,
  MarketoLeadDescribe,
  MarketoLeadField,
} from './leads';
export { MarketoLeads } from './leads';
export type { MemberQuery, ProgramBrowseOptions } from './programs';
export { MarketoPrograms } from './programs';
export type { MarketoRateLimits, RateLimiterUsage, RateLimitSlot } from './rateLimiter';
export { MARKETO_RATE_LIMITS, MarketoRateLimiter, marketoQuotaDay } from './rateLimiter';
export type {
  MarketoActivity,
  MarketoActivityType,
  MarketoCustomObjectRecord,
  MarketoCustomObjectType,
  MarketoLead,
  MarketoLeadChange,
  MarketoProgram,
  MarketoProgramMember,
  MarketoReason,
  MarketoRecordStatus,
} from './schemas';
