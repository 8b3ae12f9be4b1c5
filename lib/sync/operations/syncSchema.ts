// Sync Schema (design §2): re-read object metadata as the sync user and record fields new since
// the last cycle. Describe costs a call per object even when Salesforce answers 304, so the stored
// snapshot is reused while it is fresh (SCHEMA_MAX_AGE_MS); a manual cycle always re-reads, and so
// does every cycle while a mapped field is unreadable (so access given back is seen at once). The
// re-read is a full describe, never a 304: field-level security edits do not move the object's
// metadata date (lib/salesforce/describe.ts). Issues (unreadable, read-only, formula fields in the
// mapping) go to the log.
import { unreadableMappedFields } from '../fieldAccess';
import { CUSTOM_LINKS, STANDARD_LINKS } from '../linkage';
import { resolveMapping } from '../mapping';
import type { OperationModule } from '../plan';
import { MARKETO_LEAD_SCHEMA } from '../schemaCache';
import { stepsFor } from './common';

export const SCHEMA_MAX_AGE_MS = 60 * 60_000;

export const syncSchema: OperationModule = {
  operation: 'Sync Schema',
  steps: (scope) => stepsFor('Sync Schema', scope, ['Lead', 'Contact', 'Account']),
  async run(ctx) {
    const { sobject } = ctx.step;
    const now = ctx.clock.now();
    const fresh = (checkedAt: number | undefined) =>
      checkedAt !== undefined && now - checkedAt < SCHEMA_MAX_AGE_MS && ctx.notes.trigger !== 'manual';
    const stored = await ctx.schema.stored(sobject);
    let row = stored;
    const unreadable = stored ? unreadableMappedFields(ctx.settings.objects[sobject], stored) : [];
    if (!fresh(stored?.checkedAt) || unreadable.length > 0) {
      ctx.budget.check();
      row = await ctx.schema.refreshSalesforce(sobject);
      if (stored && row.newFields.length && row.newFields !== stored.newFields) {
        ctx.log(`Sync Schema ${sobject}: new fields since the last cycle: ${row.newFields.join(', ')}`);
      }
      const visible = new Set(row.fields.map((f) => f.name));
      const lost = stored?.fields.filter((f) => !visible.has(f.name)).map((f) => f.name) ?? [];
      if (lost.length)
        ctx.log(`Sync Schema ${sobject}: no longer visible to the sync user: ${lost.join(', ')}`);
    }
    // Marketo's lead schema is shared by every person object: refreshed with the first step only.
    let marketo = await ctx.schema.stored(MARKETO_LEAD_SCHEMA);
    if (!fresh(marketo?.checkedAt) && !ctx.notes.marketoSchemaRead) {
      ctx.budget.check();
      marketo = await ctx.schema.refreshMarketo();
      ctx.notes.marketoSchemaRead = true;
      const names = new Set(marketo.fields.map((f) => f.name));
      const standardWritable = marketo.fields.some((f) => f.name === STANDARD_LINKS.lead && f.updateable);
      if (!standardWritable && names.has(CUSTOM_LINKS.lead)) {
        ctx.log('Sync Schema: Marketo sfdc* link fields are CRM-managed; linking through the *Custom fields');
      }
    }
    if (!row || !marketo) return;
    for (const issue of resolveMapping(ctx.settings.objects[sobject], row, marketo).issues) {
      ctx.log(`Sync Schema ${sobject}.${issue.field}: ${issue.reason}`);
    }
    // No per-record outcomes: Sync Schema has no counters (design §2), so nothing is committed.
  },
};
