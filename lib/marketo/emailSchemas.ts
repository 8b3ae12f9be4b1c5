// zod schemas of the asset API's email and folder answers (issue 20; emails.md, folders.md). Loose
// objects: only the keys the sync relies on are checked, the rest kept.
import { z } from 'zod';
import { marketoDate } from './schemas';

/** `{type:"Text", value}` or `{type:"DynamicContent", value:<segmentation id>}` (emails.md). */
const typedValue = z.looseObject({ type: z.string(), value: z.union([z.string(), z.number()]).nullish() });

export const folderRefSchema = z.looseObject({
  // Marketo writes the type in either case ("Folder", "FOLDER", "folder"): folders.md examples.
  type: z.string().transform((t) => (t.toLowerCase() === 'program' ? 'Program' : 'Folder')),
  value: z.number().int(),
  folderName: z.string().optional(),
});

export const emailSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  updatedAt: marketoDate,
  subject: typedValue.nullish(),
  folder: folderRefSchema,
  // "approved" | "draft"; one doc example shows `false` (api-facts-objects E2.9).
  status: z.union([z.string(), z.boolean()]),
  version: z.number().int().optional(),
});
export type MarketoEmail = z.output<typeof emailSchema>;

/** content.json: an editable section with its HTML and text values (other section kinds pass). */
export const emailSectionSchema = z.looseObject({
  htmlId: z.string(),
  contentType: z.string().optional(),
  value: z.unknown().optional(),
});
export type MarketoEmailSection = z.output<typeof emailSectionSchema>;

export const fullContentSchema = z.looseObject({
  id: z.number().int(),
  content: z.string().nullish(),
});

export const assetFolderSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  folderId: z.looseObject({ id: z.number().int(), type: z.string() }),
  folderType: z.string().nullish(),
  path: z.string().nullish(),
});
export type MarketoAssetFolder = z.output<typeof assetFolderSchema>;
