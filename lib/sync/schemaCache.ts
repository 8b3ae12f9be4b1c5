// Object metadata for a cycle: Salesforce describe as the sync user (what it may read, update,
// what is a formula) and Marketo's lead describe, kept in the schemas table. Sync Schema refreshes
// it; the other steps read the stored copy, so a cycle describes nothing when the schema is fresh.
import type { LogDatabase } from '../db/logPort';
import type { SchemaFieldInfo, SchemaRow } from '../db/types';
import type { ClockPort } from '../http/ports';
import type { MarketoClient, MarketoCustomObjectType } from '../marketo';
import type { SalesforceClient } from '../salesforce/client';

export const MARKETO_LEAD_SCHEMA = 'Marketo:Lead';
/** The schemas row of a Marketo object other than the lead. */
export const marketoObjectKey = (name: string) => `Marketo:${name}`;

export class SchemaCache {
  private readonly rows = new Map<string, SchemaRow>();

  constructor(
    private readonly db: LogDatabase,
    private readonly salesforceClient: SalesforceClient,
    private readonly marketoClient: MarketoClient,
    private readonly clock: ClockPort,
  ) {}

  /** The stored schema of a Salesforce object, described now if there is none yet. */
  async salesforce(sobject: string): Promise<SchemaRow> {
    return this.rows.get(sobject) ?? (await this.stored(sobject)) ?? (await this.refreshSalesforce(sobject));
  }

  async marketo(): Promise<SchemaRow> {
    return (
      this.rows.get(MARKETO_LEAD_SCHEMA) ??
      (await this.stored(MARKETO_LEAD_SCHEMA)) ??
      (await this.refreshMarketo())
    );
  }

  /**
   * Marketo's describe of another object (`Marketo:<name>`: opportunities, roles, sales persons,
   * companies, a custom object), described now if there is none yet.
   */
  async marketoObject(name: string, describe: () => Promise<MarketoCustomObjectType>): Promise<SchemaRow> {
    const key = marketoObjectKey(name);
    return (
      this.rows.get(key) ?? (await this.stored(key)) ?? (await this.refreshMarketoObject(name, describe))
    );
  }

  async refreshMarketoObject(
    name: string,
    describe: () => Promise<MarketoCustomObjectType>,
  ): Promise<SchemaRow> {
    const described = await describe();
    const fields: SchemaFieldInfo[] = (described.fields ?? []).map((f) => ({
      name: f.name,
      label: f.displayName ?? f.name,
      type: f.dataType,
      readable: true,
      updateable: f.updateable,
      createable: true,
      calculated: false,
    }));
    return this.save(marketoObjectKey(name), fields);
  }

  async stored(key: string): Promise<SchemaRow | undefined> {
    const row = await this.db.schemas.get(key);
    if (row) this.rows.set(key, row);
    return row;
  }

  /**
   * Describes the object as the sync user. Fields the user cannot see are simply absent from
   * Salesforce's describe, which is exactly "not readable"; `updateable` already reflects
   * field-level security. New fields are those absent from the previous snapshot.
   * Always a full describe (`fresh`): If-Modified-Since answers 304 when the object's metadata is
   * unchanged, and a field-level security edit does not change it, so a 304 would keep a field
   * the sync user can no longer read (lib/salesforce/describe.ts). A 304 costs the same API call.
   */
  async refreshSalesforce(sobject: string): Promise<SchemaRow> {
    const described = await this.salesforceClient.describe(sobject, { fresh: true });
    const fields: SchemaFieldInfo[] = described.value.fields.map((f) => {
      const field: SchemaFieldInfo = {
        name: f.name,
        label: f.label,
        type: f.type,
        readable: true,
        updateable: f.updateable,
        createable: f.createable,
        calculated: f.calculated,
      };
      // Kept for the value-fix suggestions (lib/dashboard/valueSuggestions.ts).
      if (f.type === 'picklist' || f.type === 'multipicklist') {
        field.picklist = (f.picklistValues ?? []).filter((v) => v.active).map((v) => v.value);
        if (f.restrictedPicklist === true) field.restrictedPicklist = true;
      }
      return field;
    });
    return this.save(sobject, fields);
  }

  async refreshMarketo(): Promise<SchemaRow> {
    const described = await this.marketoClient.leads.describe();
    const fields: SchemaFieldInfo[] = described.fields.map((f) => ({
      name: f.name,
      label: f.displayName,
      type: f.dataType,
      readable: true,
      updateable: f.updateable,
      createable: f.updateable,
      calculated: f.dataType === 'formula',
    }));
    return this.save(MARKETO_LEAD_SCHEMA, fields);
  }

  /**
   * Leaves a field out of this cycle's copy of the schema (not the stored one): a query said the
   * column does not exist although the describe still lists it. The next describe decides again.
   */
  dropForThisCycle(sobject: string, field: string): void {
    const row = this.rows.get(sobject);
    if (!row) return;
    const fields = row.fields.filter((f) => f.name.toLowerCase() !== field.toLowerCase());
    this.rows.set(sobject, { ...row, fields });
  }

  private async save(key: string, fields: SchemaFieldInfo[]): Promise<SchemaRow> {
    const previous = this.rows.get(key) ?? (await this.db.schemas.get(key));
    const known = new Set(previous?.fields.map((f) => f.name));
    // The first snapshot has nothing to compare with: no field is "new since the last cycle".
    const newFields = previous ? fields.filter((f) => !known.has(f.name)).map((f) => f.name) : [];
    const now = this.clock.now();
    const accessChangedAt =
      previous && accessChanged(previous.fields, fields) ? now : previous?.accessChangedAt;
    const row: SchemaRow = {
      objectType: key,
      fields,
      newFields: newFields.length ? newFields : (previous?.newFields ?? []),
      checkedAt: now,
      ...(accessChangedAt !== undefined && { accessChangedAt }),
    };
    await this.db.schemas.put(row);
    this.rows.set(key, row);
    return row;
  }
}

/** A field appeared or is gone, or may now be written where it could not (or back). */
function accessChanged(previous: readonly SchemaFieldInfo[], current: readonly SchemaFieldInfo[]): boolean {
  if (previous.length !== current.length) return true;
  const before = new Map(previous.map((f) => [f.name, f]));
  return current.some((f) => {
    const field = before.get(f.name);
    return !field || field.updateable !== f.updateable || field.createable !== f.createable;
  });
}
