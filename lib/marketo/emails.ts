// Email assets and folders (asset API; issue 20, emails.md, folders.md): browse a folder's emails
// by status, read one, its full HTML and text (Email Editor 1.0 emails; emails.md) or its editable
// sections, and walk the folder tree for the options page's folder picker.
import type { MarketoTransport } from './client';
import {
  assetFolderSchema,
  emailSchema,
  emailSectionSchema,
  fullContentSchema,
  type MarketoAssetFolder,
  type MarketoEmail,
  type MarketoEmailSection,
} from './emailSchemas';
import { isNoAssetsWarning } from './paging';

/** A folder or program holding emails (the `folder` parameter's embedded JSON). */
export interface EmailFolderRef {
  id: number;
  type: 'Folder' | 'Program';
}

const ASSET_PAGE = 200;
const folderJson = (ref: EmailFolderRef) => JSON.stringify({ id: ref.id, type: ref.type });

export class MarketoEmails {
  constructor(private readonly transport: MarketoTransport) {}

  /** Pages of one folder's emails of a status, by offset until a short page or "No assets found". */
  async *browse(folder: EmailFolderRef, status: 'approved' | 'draft'): AsyncGenerator<MarketoEmail[]> {
    for (let offset = 0; ; offset += ASSET_PAGE) {
      const envelope = await this.transport.call(
        {
          method: 'GET',
          path: '/rest/asset/v1/emails.json',
          query: { folder: folderJson(folder), status, maxReturn: ASSET_PAGE, offset },
        },
        emailSchema,
      );
      if (envelope.result.length > 0) yield envelope.result;
      if (envelope.result.length < ASSET_PAGE || isNoAssetsWarning(envelope.warnings)) return;
    }
  }

  /** One email (its approved version, or the draft with status "draft"); null when Marketo has none. */
  async get(id: number, status?: 'approved' | 'draft'): Promise<MarketoEmail | null> {
    const envelope = await this.transport.call(
      {
        method: 'GET',
        path: `/rest/asset/v1/email/${id}.json`,
        template: '/rest/asset/v1/email/{id}.json',
        query: { status },
      },
      emailSchema,
    );
    return envelope.result[0] ?? null;
  }

  /** The rendered email, HTML or Text; Marketo answers 709 for emails other than 1.0 ones. */
  async fullContent(id: number, type: 'HTML' | 'Text', status: 'approved' | 'draft'): Promise<string | null> {
    const envelope = await this.transport.call(
      {
        method: 'GET',
        path: `/rest/asset/v1/email/${id}/fullContent.json`,
        template: '/rest/asset/v1/email/{id}/fullContent.json',
        query: { status, type },
      },
      fullContentSchema,
    );
    return envelope.result[0]?.content ?? null;
  }

  /** The editable sections of one version. */
  async content(id: number, status: 'approved' | 'draft'): Promise<MarketoEmailSection[]> {
    const envelope = await this.transport.call(
      {
        method: 'GET',
        path: `/rest/asset/v1/email/${id}/content.json`,
        template: '/rest/asset/v1/email/{id}/content.json',
        query: { status },
      },
      emailSectionSchema,
    );
    return envelope.result;
  }

  /** Folders of one name (exact match), e.g. the "Design Studio" root. */
  async foldersByName(name: string): Promise<MarketoAssetFolder[]> {
    const envelope = await this.transport.call(
      { method: 'GET', path: '/rest/asset/v1/folder/byName.json', query: { name } },
      assetFolderSchema,
    );
    return envelope.result;
  }

  /** Every folder under `root`, `maxDepth` levels down, by offset pages. */
  async folders(root: EmailFolderRef, maxDepth: number): Promise<MarketoAssetFolder[]> {
    const out: MarketoAssetFolder[] = [];
    for (let offset = 0; ; offset += ASSET_PAGE) {
      const envelope = await this.transport.call(
        {
          method: 'GET',
          path: '/rest/asset/v1/folders.json',
          query: { root: folderJson(root), maxDepth, maxReturn: ASSET_PAGE, offset },
        },
        assetFolderSchema,
      );
      out.push(...envelope.result);
      if (envelope.result.length < ASSET_PAGE || isNoAssetsWarning(envelope.warnings)) return out;
    }
  }
}
