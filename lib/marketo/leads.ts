// Leads (api-facts B5): describe, read by id or filter, sync, delete, merge.
import { z } from 'zod';
import type { MarketoTransport } from './client';
import { chunk, MARKETO_BATCH, type MarketoRecordOutcome, toOutcomes } from './envelope';
import { MarketoApiError } from './errors';
import { positionPages } from './paging';
import {
  describe2Schema,
  leadDescribeFieldSchema,
  leadResultSchema,
  leadSchema,
  type MarketoLead,
} from './schemas';

export interface MarketoLeadField {
  name: string;
  displayName: string;
  dataType: string;
  length?: number;
  updateable: boolean;
  crmManaged: boolean;
}

export interface MarketoLeadDescribe {
  fields: MarketoLeadField[];
  /** Valid `filterType` values (describe2 only; null when only describe.json answered). */
  searchableFields: string[][] | null;
  source: 'describe2' | 'describe';
}

export type LeadSyncAction = 'createOnly' | 'updateOnly' | 'createOrUpdate' | 'createDuplicate';

export interface LeadSyncRequest {
  action: LeadSyncAction;
  /** Defaults to email on Marketo's side; `id` works only with updateOnly. */
  lookupField?: string;
  partitionName?: string;
  input: readonly Record<string, unknown>[];
}

export interface LeadFilter {
  filterType: string;
  filterValues: readonly (string | number)[];
  fields?: readonly string[];
  batchSize?: number;
}

/** Merge accepts at most 25 losers per call (from 31 Mar 2026, code 1080). */
const MERGE_BATCH = 25;

/** A field list always asks for `id` too: records are keyed by it, and Marketo only returns listed fields. */
function withId(fields: readonly string[] | undefined): readonly string[] | undefined {
  return fields && !fields.includes('id') ? ['id', ...fields] : fields;
}

export class MarketoLeads {
  constructor(private readonly transport: MarketoTransport) {}

  /** describe2 when the instance has it (it carries searchable fields), else describe. */
  async describe(): Promise<MarketoLeadDescribe> {
    try {
      const envelope = await this.transport.call(
        { method: 'GET', path: '/rest/v1/leads/describe2.json' },
        describe2Schema,
      );
      const described = envelope.result[0];
      if (described) {
        return {
          fields: described.fields.map((field) => ({
            name: field.name,
            displayName: field.displayName,
            dataType: field.dataType,
            ...(field.length == null ? {} : { length: field.length }),
            updateable: field.updateable,
            crmManaged: field.crmManaged,
          })),
          searchableFields: described.searchableFields,
          source: 'describe2',
        };
      }
    } catch (error) {
      // 610 = resource not found: an older instance without describe2. Anything else is real.
      if (!(error instanceof MarketoApiError && (error.code === '610' || error.httpStatus === 404)))
        throw error;
    }
    const envelope = await this.transport.call(
      { method: 'GET', path: '/rest/v1/leads/describe.json' },
      leadDescribeFieldSchema,
    );
    return {
      fields: envelope.result.flatMap((field) =>
        field.rest
          ? [
              {
                name: field.rest.name,
                displayName: field.displayName,
                dataType: field.dataType,
                ...(field.length === undefined ? {} : { length: field.length }),
                updateable: !field.rest.readOnly,
                crmManaged: false,
              },
            ]
          : [],
      ),
      searchableFields: null,
      source: 'describe',
    };
  }

  async getById(id: number, fields?: readonly string[]): Promise<MarketoLead | null> {
    const envelope = await this.transport.call(
      {
        method: 'GET',
        path: `/rest/v1/lead/${id}.json`,
        template: '/rest/v1/lead/{id}.json',
        query: { fields: withId(fields) },
      },
      leadSchema,
    );
    return envelope.result[0] ?? null;
  }

  /** Pages of leads matching any of the values; values go 300 per call, each call paged. */
  async *pagesByFilter(filter: LeadFilter): AsyncGenerator<MarketoLead[]> {
    for (const values of chunk(filter.filterValues, MARKETO_BATCH)) {
      yield* positionPages(
        this.transport,
        {
          method: 'GET',
          path: '/rest/v1/leads.json',
          query: {
            filterType: filter.filterType,
            filterValues: values,
            fields: withId(filter.fields),
            batchSize: filter.batchSize ?? MARKETO_BATCH,
          },
        },
        leadSchema,
      );
    }
  }

  async getByFilter(filter: LeadFilter): Promise<MarketoLead[]> {
    const leads: MarketoLead[] = [];
    for await (const page of this.pagesByFilter(filter)) leads.push(...page);
    return leads;
  }

  /** One outcome per input, in input order; inputs go 300 per call, one call at a time. */
  async sync(request: LeadSyncRequest): Promise<MarketoRecordOutcome[]> {
    const outcomes: MarketoRecordOutcome[] = [];
    for (const input of chunk(request.input, MARKETO_BATCH)) {
      const endpoint = 'POST /rest/v1/leads.json';
      const envelope = await this.transport.call(
        {
          method: 'POST',
          path: '/rest/v1/leads.json',
          body: {
            action: request.action,
            ...(request.lookupField ? { lookupField: request.lookupField } : {}),
            ...(request.partitionName ? { partitionName: request.partitionName } : {}),
            asyncProcessing: false,
            input,
          },
        },
        leadResultSchema,
      );
      outcomes.push(...toOutcomes(envelope.result, input.length, endpoint, (result) => result.id));
    }
    return outcomes;
  }

  /** Deletes by id (documented POST form); outcomes `deleted` or `skipped` (1004 not found). */
  async delete(ids: readonly number[]): Promise<MarketoRecordOutcome[]> {
    const outcomes: MarketoRecordOutcome[] = [];
    for (const batch of chunk(ids, MARKETO_BATCH)) {
      const envelope = await this.transport.call(
        { method: 'POST', path: '/rest/v1/leads/delete.json', body: { input: batch.map((id) => ({ id })) } },
        leadResultSchema,
      );
      outcomes.push(
        ...toOutcomes(envelope.result, batch.length, 'POST /rest/v1/leads/delete.json', (r) => r.id),
      );
    }
    return outcomes;
  }

  /** Merges the losers into the winner (the winner keeps its non-empty values). */
  async merge(winnerId: number, loserIds: readonly number[], options: { mergeInCRM?: boolean } = {}) {
    for (const losers of chunk(loserIds, MERGE_BATCH)) {
      await this.transport.call(
        {
          method: 'POST',
          path: `/rest/v1/leads/${winnerId}/merge.json`,
          template: '/rest/v1/leads/{id}/merge.json',
          query: {
            ...(losers.length === 1 ? { leadId: losers[0] } : { leadIds: losers }),
            mergeInCRM: options.mergeInCRM,
          },
        },
        z.unknown(),
      );
    }
  }
}
