// Object metadata for a cycle: Salesforce describe as the sync user (what it may read, update,
// what is a formula) and Marketo's lead describe, kept in the schemas table. Sync Schema refreshes
// it; the other steps read the stored copy, so a cycle describes nothing when the schema is fresh.
import type { SyncLogDatabase } from '../db/database';
import type { SchemaFieldInfo, SchemaRow } from '../db/types';
import type { ClockPort } from '../http/ports';
import type { MarketoClient } from '../marketo';
import type { SalesforceClient } from '../salesforce/client';

export const MARKETO_LEAD_SCHEMA = 'Marketo:Lead';

export class SchemaCache {
  private readonly rows = new Map<string, SchemaRow>();

  constructor(
    private readonly db: SyncLogDatabase,
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

  async stored(key: string): Promise<SchemaRow | undefined> {
    const row = await this.db.schemas.get(key);
    if (row) this.rows.set(key, row);
    return row;
  }

  /**
   * Describes the object as the sync user. Fields the user cannot see are simply absent from
   * Salesforce's describe, which is exactly "not readable"; `updateable` already reflects
   * field-level security. New fields are those absent from the previous snapshot.
   */
  async refreshSalesforce(sobject: string): Promise<SchemaRow> {
    const described = await this.salesforceClient.describe(sobject);
    const fields: SchemaFieldInfo[] = described.value.fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      readable: true,
      updateable: f.updateable,
      createable: f.createable,
      calculated: f.calculated,
    }));
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

  private async save(key: string, fields: SchemaFieldInfo[]): Promise<SchemaRow> {
    const previous = this.rows.get(key) ?? (await this.db.schemas.get(key));
    const known = new Set(previous?.fields.map((f) => f.name));
    // The first snapshot has nothing to compare with: no field is "new since the last cycle".
    const newFields = previous ? fields.filter((f) => !known.has(f.name)).map((f) => f.name) : [];
    const row: SchemaRow = {
      objectType: key,
      fields,
      newFields: newFields.length ? newFields : (previous?.newFields ?? []),
      checkedAt: this.clock.now(),
    };
    await this.db.schemas.put(row);
    this.rows.set(key, row);
    return row;
  }
}
