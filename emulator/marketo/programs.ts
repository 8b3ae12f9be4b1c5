// Asset API routes for programs and channels (api-facts B7). The asset envelope always carries
// `errors` and `warnings` arrays, warnings are plain strings, and "no hit" is a warning with no
// `result` key. Datetimes end in "Z+0000".
import { MarketoRequestError } from './envelope';
import { assetDate, type Body, parseDateTime, type Route, type RouteContext } from './format';
import type { Channel, Program } from './programStore';

const NO_ASSETS = 'No assets found for the given search criteria.';
const MAX_RETURN = 200;

function assetResult(result: unknown[]): Body {
  if (result.length === 0) return { success: true, errors: [], warnings: [NO_ASSETS] };
  return { success: true, errors: [], warnings: [], result };
}

function programRow(program: Program, withTags: boolean, withCosts = false): Body {
  return {
    id: program.id,
    name: program.name,
    description: program.description,
    createdAt: assetDate(program.createdAt),
    updatedAt: assetDate(program.updatedAt),
    url: `https://app-emu.marketo.com/#PG${program.id}A1`,
    type: program.type,
    channel: program.channel,
    folder: { type: 'Folder', value: program.folderId, folderName: program.folderName },
    status: program.status,
    workspace: 'Default',
    headStart: false,
    ...(program.sfdcId ? { sfdcId: program.sfdcId, sfdcName: program.sfdcName ?? program.name } : {}),
    ...(withTags ? { tags: program.tags } : {}),
    ...(withCosts ? { costs: program.costs ?? [] } : {}),
  };
}

function channelRow(channel: Channel): Body {
  return {
    id: channel.id,
    name: channel.name,
    applicableProgramType: channel.applicableProgramType,
    progressionStatuses: channel.progressionStatuses,
    createdAt: assetDate(channel.createdAt),
    updatedAt: assetDate(channel.updatedAt),
  };
}

function window(ctx: RouteContext): { offset: number; maxReturn: number } {
  const maxReturn = ctx.req.intParam('maxReturn') ?? 20;
  const offset = ctx.req.intParam('offset') ?? 0;
  if (maxReturn < 1 || maxReturn > MAX_RETURN) {
    throw new MarketoRequestError('1003', `maxReturn must be between 1 and ${MAX_RETURN}`);
  }
  if (offset < 0) throw new MarketoRequestError('1003', 'offset must not be negative');
  return { offset, maxReturn };
}

function updatedBetween(ctx: RouteContext): (p: Program) => boolean {
  const earliest = ctx.req.param('earliestUpdatedAt');
  const latest = ctx.req.param('latestUpdatedAt');
  const from = earliest ? parseDateTime(earliest) : null;
  const to = latest ? parseDateTime(latest) : null;
  if ((earliest && from === null) || (latest && to === null)) {
    throw new MarketoRequestError('1001', 'Invalid value for earliestUpdatedAt/latestUpdatedAt');
  }
  return (p) => (from === null || p.updatedAt >= from) && (to === null || p.updatedAt <= to);
}

function browsePrograms(ctx: RouteContext): Body {
  const { offset, maxReturn } = window(ctx);
  const filterType = ctx.req.param('filterType');
  const values = new Set(ctx.req.list('filterValues'));
  const inRange = updatedBetween(ctx);
  const matches = [...ctx.store.programs.programs.values()].filter((p) => {
    if (!inRange(p)) return false;
    if (!filterType) return true;
    if (filterType === 'id' || filterType === 'programId') return values.has(String(p.id));
    if (filterType === 'folderId') return values.has(String(p.folderId));
    if (filterType === 'workspace') return values.has('Default');
    throw new MarketoRequestError('1003', `Invalid filterType '${filterType}'`);
  });
  return assetResult(matches.slice(offset, offset + maxReturn).map((p) => programRow(p, false)));
}

function programById(ctx: RouteContext): Body {
  const program = ctx.store.programs.programs.get(Number(ctx.match[1]));
  return assetResult(program ? [programRow(program, true, true)] : []);
}

function programByName(ctx: RouteContext): Body {
  const name = ctx.req.param('name');
  if (!name) throw new MarketoRequestError('701', 'name cannot be blank');
  const program = ctx.store.programs.byName(name);
  return assetResult(
    program
      ? [
          programRow(
            program,
            ctx.req.param('includeTags') === 'true',
            ctx.req.param('includeCosts') === 'true',
          ),
        ]
      : [],
  );
}

function channels(ctx: RouteContext): Body {
  const { offset, maxReturn } = window(ctx);
  const all = [...ctx.store.programs.channels.values()];
  return assetResult(all.slice(offset, offset + maxReturn).map(channelRow));
}

function channelByName(ctx: RouteContext): Body {
  const channel = ctx.store.programs.channels.get(ctx.req.param('name') ?? '');
  return assetResult(channel ? [channelRow(channel)] : []);
}

export const programRoutes: Route[] = [
  { methods: ['GET'], pattern: /^\/rest\/asset\/v1\/programs\.json$/, handle: browsePrograms },
  { methods: ['GET'], pattern: /^\/rest\/asset\/v1\/program\/byName\.json$/, handle: programByName },
  { methods: ['GET'], pattern: /^\/rest\/asset\/v1\/program\/(\d+)\.json$/, handle: programById },
  { methods: ['GET'], pattern: /^\/rest\/asset\/v1\/channels\.json$/, handle: channels },
  { methods: ['GET'], pattern: /^\/rest\/asset\/v1\/channel\/byName\.json$/, handle: channelByName },
];
