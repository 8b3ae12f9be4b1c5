// Programs (asset API) and program members (lead-DB API), api-facts B7.
import { ResponseShapeError } from '../http/parse';
import type { MarketoTransport } from './client';
import { chunk, MARKETO_BATCH, type MarketoRecordOutcome, toOutcomes } from './envelope';
import { isNoAssetsWarning, positionPages } from './paging';
import {
  channelSchema,
  describe2Schema,
  type MarketoChannel,
  type MarketoProgram,
  type MarketoProgramLead,
  type MarketoProgramMember,
  memberResultSchema,
  programLeadSchema,
  programMemberSchema,
  programSchema,
} from './schemas';

export interface ProgramBrowseOptions {
  /** Per page; Marketo's default is 20, its maximum 200. */
  maxReturn?: number;
  filterType?: 'id' | 'programId' | 'folderId' | 'workspace';
  filterValues?: readonly (string | number)[];
  earliestUpdatedAt?: string;
  latestUpdatedAt?: string;
}

export interface MemberQuery {
  filterType: string;
  filterValues?: readonly (string | number)[];
  fields?: readonly string[];
  /** For filterType=updatedAt (at most 7 days apart, no milliseconds). */
  startAt?: string;
  endAt?: string;
  batchSize?: number;
}

const ASSET_PAGE = 200;

export class MarketoPrograms {
  constructor(private readonly transport: MarketoTransport) {}

  /** Pages of programs by offset, until a short page or the "No assets found" warning. */
  async *browse(options: ProgramBrowseOptions = {}): AsyncGenerator<MarketoProgram[]> {
    const maxReturn = Math.min(options.maxReturn ?? ASSET_PAGE, ASSET_PAGE);
    for (let offset = 0; ; offset += maxReturn) {
      const envelope = await this.transport.call(
        {
          method: 'GET',
          path: '/rest/asset/v1/programs.json',
          query: {
            maxReturn,
            offset,
            filterType: options.filterType,
            filterValues: options.filterValues,
            earliestUpdatedAt: options.earliestUpdatedAt,
            latestUpdatedAt: options.latestUpdatedAt,
          },
        },
        programSchema,
      );
      if (envelope.result.length > 0) yield envelope.result;
      if (envelope.result.length < maxReturn || isNoAssetsWarning(envelope.warnings)) return;
    }
  }

  /** Every channel with its progression statuses (asset API: offset paging, "No assets found" ends it). */
  async channels(): Promise<MarketoChannel[]> {
    const out: MarketoChannel[] = [];
    for (let offset = 0; ; offset += ASSET_PAGE) {
      const envelope = await this.transport.call(
        { method: 'GET', path: '/rest/asset/v1/channels.json', query: { maxReturn: ASSET_PAGE, offset } },
        channelSchema,
      );
      out.push(...envelope.result);
      if (envelope.result.length < ASSET_PAGE || isNoAssetsWarning(envelope.warnings)) return out;
    }
  }

  async get(id: number): Promise<MarketoProgram | null> {
    const envelope = await this.transport.call(
      {
        method: 'GET',
        path: `/rest/asset/v1/program/${id}.json`,
        template: '/rest/asset/v1/program/{id}.json',
      },
      programSchema,
    );
    return envelope.result[0] ?? null;
  }

  async getByName(name: string): Promise<MarketoProgram | null> {
    const envelope = await this.transport.call(
      { method: 'GET', path: '/rest/asset/v1/program/byName.json', query: { name } },
      programSchema,
    );
    return envelope.result[0] ?? null;
  }

  async describeMembers() {
    const envelope = await this.transport.call(
      { method: 'GET', path: '/rest/v1/programs/members/describe.json' },
      describe2Schema,
    );
    const described = envelope.result[0];
    if (!described)
      throw new ResponseShapeError('GET /rest/v1/programs/members/describe.json', 'result', 'is empty');
    return described;
  }

  /** Pages of members; leadId filter values go 300 per call, each call paged. */
  async *members(programId: number, query: MemberQuery): AsyncGenerator<MarketoProgramMember[]> {
    const valueChunks = query.filterValues ? chunk(query.filterValues, MARKETO_BATCH) : [undefined];
    for (const filterValues of valueChunks) {
      yield* positionPages(
        this.transport,
        {
          method: 'GET',
          path: `/rest/v1/programs/${programId}/members.json`,
          template: '/rest/v1/programs/{id}/members.json',
          query: {
            filterType: query.filterType,
            filterValues,
            startAt: query.startAt,
            endAt: query.endAt,
            fields: query.fields,
            batchSize: query.batchSize ?? MARKETO_BATCH,
          },
        },
        programMemberSchema,
      );
    }
  }

  /**
   * Every member of a program with its status, 300 per page (Get Leads by Program, B7): the one
   * read that lists a whole program without a filter (members.json needs one).
   */
  leadsByProgram(programId: number): AsyncGenerator<MarketoProgramLead[]> {
    return positionPages(
      this.transport,
      {
        method: 'GET',
        path: `/rest/v1/leads/programs/${programId}.json`,
        template: '/rest/v1/leads/programs/{id}.json',
        query: { fields: ['id', 'membership'], batchSize: MARKETO_BATCH },
      },
      programLeadSchema,
    );
  }

  /** Sets (or adds with) a status; skips with 1037 when the member is already at or past it. */
  setMemberStatus(programId: number, statusName: string, leadIds: readonly number[]) {
    return this.memberWrite(
      programId,
      'status',
      leadIds.map((leadId) => ({ leadId })),
      { statusName },
    );
  }

  /** Updates member custom data; non-members are skipped with 1013. */
  updateMemberData(programId: number, input: readonly ({ leadId: number } & Record<string, unknown>)[]) {
    return this.memberWrite(programId, '', input, {});
  }

  removeMembers(programId: number, leadIds: readonly number[]) {
    return this.memberWrite(
      programId,
      'delete',
      leadIds.map((leadId) => ({ leadId })),
      {},
    );
  }

  private async memberWrite(
    programId: number,
    action: '' | 'status' | 'delete',
    input: readonly Record<string, unknown>[],
    extra: Record<string, unknown>,
  ): Promise<MarketoRecordOutcome[]> {
    const suffix = action ? `/${action}` : '';
    const template = `/rest/v1/programs/{id}/members${suffix}.json`;
    const outcomes: MarketoRecordOutcome[] = [];
    for (const batch of chunk(input, MARKETO_BATCH)) {
      const envelope = await this.transport.call(
        {
          method: 'POST',
          path: `/rest/v1/programs/${programId}/members${suffix}.json`,
          template,
          body: { ...extra, input: batch },
        },
        memberResultSchema,
      );
      outcomes.push(...toOutcomes(envelope.result, batch.length, `POST ${template}`, (r) => r.leadId));
    }
    return outcomes;
  }
}
