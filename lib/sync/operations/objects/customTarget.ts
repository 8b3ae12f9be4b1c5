// What Sync Schema learns of a custom object's Marketo target (issue 19, customObjects.ts): its key
// and link fields, kept between cycles so idle cycles describe nothing, and whether the Salesforce
// object is gone (deleted or renamed in Setup).
import type { SchemaRow } from '../../../db/types';
import { MarketoApiError } from '../../../marketo';
import type { CustomObjectSettings } from '../../../settings/schema';
import type { StepContext } from '../../context';
import { readCursor } from '../../cursors';

/** Sync Schema found the Salesforce object gone (deleted or renamed): `gone:<name>` (cursor row). */
export const goneKey = (sobject: string) => `gone:${sobject}`;

export async function customObjectGone(ctx: StepContext): Promise<boolean> {
  if ((await readCursor(ctx.db, goneKey(ctx.step.sobject))) === undefined) return false;
  ctx.warn(
    `${ctx.step.sobject} is no longer in Salesforce (deleted or renamed): not synced; see Sync Schema`,
  );
  return true;
}

export interface CustomTarget {
  name: string;
  /** The dedupe field that holds the Salesforce id. */
  key: string;
  /** The link field holding the person's Marketo id. */
  link: string;
  schema: SchemaRow;
}

/** What Sync Schema learned of the Marketo object, kept between cycles: `target:<sobject>` (JSON). */
const targetKey = (sobject: string) => `target:${sobject}`;

/**
 * The Marketo object, its key and link fields, or why it cannot be synced. From the row Sync Schema
 * keeps (`refresh` describes it again: Sync Schema, when its copy is stale or on manual cycles), so
 * an idle cycle describes nothing.
 */
export async function customTarget(
  ctx: StepContext,
  config: CustomObjectSettings,
  refresh = false,
): Promise<CustomTarget | string> {
  const path = `customobjects/${config.marketoObject}`;
  const kept = refresh ? undefined : await readCursor(ctx.db, targetKey(ctx.step.sobject));
  const parsed = kept ? (JSON.parse(kept) as Partial<CustomTarget> & { problem?: string }) : undefined;
  if (parsed?.name === config.marketoObject) {
    if (parsed.problem) return parsed.problem;
    const schema = await ctx.schema.stored(`Marketo:${path}`);
    if (schema && parsed.key && parsed.link)
      return { name: parsed.name, key: parsed.key, link: parsed.link, schema };
  }
  const found = await describeTarget(ctx, config);
  const row =
    typeof found === 'string'
      ? { name: config.marketoObject, problem: found }
      : { ...found, schema: undefined };
  await ctx.commit({
    outcomes: [],
    extraCursors: [{ key: targetKey(ctx.step.sobject), value: JSON.stringify(row) }],
  });
  return found;
}

async function describeTarget(
  ctx: StepContext,
  config: CustomObjectSettings,
): Promise<CustomTarget | string> {
  let described: Awaited<ReturnType<typeof ctx.marketo.customObjects.describe>>;
  ctx.budget.check();
  try {
    described = await ctx.marketo.customObjects.describe(config.marketoObject);
  } catch (error) {
    if (error instanceof MarketoApiError && (error.code === '1013' || error.code === '1026'))
      return `Marketo has no custom object ${config.marketoObject} (${error.code})`;
    throw error;
  }
  const schema = await ctx.schema.refreshMarketoObject(
    `customobjects/${config.marketoObject}`,
    async () => described,
  );
  if (described.dedupeFields.length !== 1)
    return `${config.marketoObject} is keyed by ${described.dedupeFields.length} fields; one must hold the Salesforce id`;
  const linked = described.relationships.find((r) => (r as { type?: string }).type !== 'child')?.field;
  const link = linked ?? described.fields?.find((f) => f.dataType === 'link')?.name;
  if (!link) return `${config.marketoObject} has no link field to a person`;
  return { name: config.marketoObject, key: described.dedupeFields[0]!, link, schema };
}
