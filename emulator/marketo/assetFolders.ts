// Asset API folder routes (folders.md): browse under a root `{"id":n,"type":"Folder"|"Program"}`
// to maxDepth levels (default 2, 0 = the root alone) with offset/maxReturn, by id (`type` required)
// and by exact name. Programs are folders of type "Program" under Marketing Activities. Also the
// asset envelope helpers the email routes share.

import { type AssetFolder, type FolderKind, type FolderRef, MARKETING_ACTIVITIES } from './emailStore';
import { MarketoRequestError } from './envelope';
import { assetDate, type Body, type Route, type RouteContext } from './format';

const NO_ASSETS = 'No assets found for the given search criteria.';
const MAX_RETURN = 200;

export function assetResult(result: unknown[]): Body {
  if (result.length === 0) return { success: true, errors: [], warnings: [NO_ASSETS] };
  return { success: true, errors: [], warnings: [], result };
}

export function window(ctx: RouteContext): { offset: number; maxReturn: number } {
  const maxReturn = ctx.req.intParam('maxReturn') ?? 20;
  const offset = ctx.req.intParam('offset') ?? 0;
  if (maxReturn < 1 || maxReturn > MAX_RETURN)
    throw new MarketoRequestError('1003', `maxReturn must be between 1 and ${MAX_RETURN}`);
  if (offset < 0) throw new MarketoRequestError('1003', 'offset must not be negative');
  return { offset, maxReturn };
}

/** A `folder` or `root` parameter: an embedded JSON object `{"id":n,"type":"Folder"|"Program"}`. */
export function folderParam(ctx: RouteContext, name: string): FolderRef | undefined {
  const raw = ctx.req.param(name);
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new MarketoRequestError('1003', `Invalid ${name}: ${raw}`);
  }
  const ref = parsed as { id?: unknown; type?: unknown };
  const type = typeof ref.type === 'string' ? ref.type.toLowerCase() : '';
  if (!Number.isInteger(ref.id) || (type !== 'folder' && type !== 'program'))
    throw new MarketoRequestError('1003', `Invalid ${name}: ${raw}`);
  return { id: ref.id as number, type: type === 'folder' ? 'Folder' : 'Program' };
}

interface FolderNode {
  ref: FolderRef;
  name: string;
  description: string | null;
  folderType: string;
  parent: FolderRef | null;
  isSystem: boolean;
  createdAt: number;
  updatedAt: number;
}

function nodeOf(ctx: RouteContext, ref: FolderRef): FolderNode | undefined {
  if (ref.type === 'Program') {
    const p = ctx.store.programs.programs.get(ref.id);
    if (!p) return undefined;
    const parent = { id: MARKETING_ACTIVITIES, type: 'Folder' as const };
    return {
      ref,
      name: p.name,
      description: p.description,
      folderType: 'Program',
      parent,
      isSystem: false,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    };
  }
  const f: AssetFolder | undefined = ctx.store.emails.folders.get(ref.id);
  if (!f) return undefined;
  const parent = f.parentId === null ? null : { id: f.parentId, type: 'Folder' as const };
  return {
    ref,
    name: f.name,
    description: f.description,
    folderType: f.folderType,
    parent,
    isSystem: f.isSystem,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
  };
}

function folderRow(ctx: RouteContext, node: FolderNode): Body {
  return {
    name: node.name,
    description: node.description,
    createdAt: assetDate(node.createdAt),
    updatedAt: assetDate(node.updatedAt),
    url: node.isSystem
      ? null
      : `https://app-emu.marketo.com/#${node.ref.type === 'Program' ? 'PG' : 'EF'}${node.ref.id}A1`,
    folderId: { id: node.ref.id, type: node.ref.type },
    folderType: node.folderType,
    parent: node.parent,
    path: ctx.store.emails.pathOf(node.ref),
    isArchive: false,
    isSystem: node.isSystem,
    accessZoneId: 1,
    workspace: 'Default',
    id: node.ref.id,
  };
}

function childrenOf(ctx: RouteContext, ref: FolderRef): FolderRef[] {
  if (ref.type === 'Program') return [];
  const folders = [...ctx.store.emails.folders.values()]
    .filter((f) => f.parentId === ref.id)
    .map((f): FolderRef => ({ id: f.id, type: 'Folder' }));
  const programs =
    ref.id === MARKETING_ACTIVITIES
      ? [...ctx.store.programs.programs.keys()].map((id): FolderRef => ({ id, type: 'Program' }))
      : [];
  return [...folders, ...programs];
}

/** The folder and what lies below it, `maxDepth` levels down (0: the folder alone), depth first. */
function walk(ctx: RouteContext, ref: FolderRef, depth: number, out: FolderNode[]): void {
  const node = nodeOf(ctx, ref);
  if (!node) return;
  out.push(node);
  if (depth > 0) for (const child of childrenOf(ctx, ref)) walk(ctx, child, depth - 1, out);
}

function browseFolders(ctx: RouteContext): Body {
  const { offset, maxReturn } = window(ctx);
  const maxDepth = ctx.req.intParam('maxDepth') ?? 2;
  if (maxDepth < 0) throw new MarketoRequestError('1003', 'maxDepth must not be negative');
  const root = folderParam(ctx, 'root');
  const tops: FolderRef[] = root
    ? [root]
    : [...ctx.store.emails.folders.values()]
        .filter((f) => f.parentId === null)
        .map((f) => ({ id: f.id, type: 'Folder' as FolderKind }));
  const nodes: FolderNode[] = [];
  for (const top of tops) walk(ctx, top, maxDepth, nodes);
  return assetResult(nodes.slice(offset, offset + maxReturn).map((n) => folderRow(ctx, n)));
}

function folderType(ctx: RouteContext, required: boolean): FolderKind | undefined {
  const raw = ctx.req.param('type');
  if (raw === undefined) {
    if (required) throw new MarketoRequestError('701', 'type cannot be blank');
    return undefined;
  }
  if (raw.toLowerCase() === 'folder') return 'Folder';
  if (raw.toLowerCase() === 'program') return 'Program';
  throw new MarketoRequestError('1003', `Invalid type: ${raw}`);
}

function folderById(ctx: RouteContext): Body {
  const type = folderType(ctx, true)!;
  const node = nodeOf(ctx, { id: Number(ctx.match[1]), type });
  return assetResult(node ? [folderRow(ctx, node)] : []);
}

function folderByName(ctx: RouteContext): Body {
  const name = ctx.req.param('name');
  if (!name) throw new MarketoRequestError('701', 'name cannot be blank');
  const type = folderType(ctx, false);
  const root = folderParam(ctx, 'root');
  const nodes: FolderNode[] = [];
  const tops: FolderRef[] = root
    ? [root]
    : [...ctx.store.emails.folders.values()]
        .filter((f) => f.parentId === null)
        .map((f) => ({ id: f.id, type: 'Folder' as FolderKind }));
  for (const top of tops) walk(ctx, top, Number.MAX_SAFE_INTEGER, nodes);
  const hits = nodes.filter((n) => n.name === name && (!type || n.ref.type === type));
  return assetResult(hits.map((n) => folderRow(ctx, n)));
}

export const folderRoutes: Route[] = [
  { methods: ['GET'], pattern: /^\/rest\/asset\/v1\/folders\.json$/, handle: browseFolders },
  { methods: ['GET'], pattern: /^\/rest\/asset\/v1\/folder\/byName\.json$/, handle: folderByName },
  { methods: ['GET'], pattern: /^\/rest\/asset\/v1\/folder\/(\d+)\.json$/, handle: folderById },
];
