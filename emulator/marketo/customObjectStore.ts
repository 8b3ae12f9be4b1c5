// Marketo custom object types and their records (api-facts B8). Records are keyed by marketoGUID
// with a dedupe-key index, so sync and query by dedupe fields are O(1) per record.

export type CustomValue = string | number | boolean | null;

export interface CustomObjectField {
  name: string;
  displayName: string;
  dataType: 'string' | 'integer' | 'float' | 'currency' | 'boolean' | 'date' | 'datetime' | 'link';
  length?: number;
  updateable: boolean;
}

export interface CustomObjectTypeInput {
  name: string;
  displayName: string;
  pluralName?: string;
  description?: string;
  dedupeFields: string[];
  /** Extra searchable single fields besides the dedupe key and marketoGUID. */
  searchable?: string[];
  /** The field linking a record to a lead, and the lead field it matches. */
  link?: { field: string; leadField: string };
  fields: Omit<CustomObjectField, 'updateable'>[];
}

export interface CustomObjectType extends CustomObjectTypeInput {
  createdAt: number;
  updatedAt: number;
  records: Map<string, CustomObjectRecord>;
  dedupeIndex: Map<string, string>;
}

export interface CustomObjectRecord {
  marketoGUID: string;
  createdAt: number;
  updatedAt: number;
  values: Record<string, CustomValue>;
}

const DEFAULT_TYPES: CustomObjectTypeInput[] = [
  {
    name: 'subscription_c',
    displayName: 'Subscription',
    pluralName: 'Subscriptions',
    description: 'Product subscriptions mirrored from Salesforce',
    dedupeFields: ['subscriptionId'],
    searchable: ['leadId', 'sfdcId'],
    link: { field: 'leadId', leadField: 'id' },
    fields: [
      { name: 'subscriptionId', displayName: 'Subscription Id', dataType: 'string', length: 255 },
      { name: 'leadId', displayName: 'Lead', dataType: 'link' },
      { name: 'sfdcId', displayName: 'SFDC Id', dataType: 'string', length: 255 },
      { name: 'productName', displayName: 'Product', dataType: 'string', length: 255 },
      { name: 'status', displayName: 'Status', dataType: 'string', length: 255 },
      { name: 'startDate', displayName: 'Start Date', dataType: 'date' },
      { name: 'amount', displayName: 'Amount', dataType: 'currency' },
    ],
  },
  {
    name: 'eventRegistration_c',
    displayName: 'Event Registration',
    pluralName: 'Event Registrations',
    description: 'Event registrations mirrored from Salesforce',
    dedupeFields: ['registrationId'],
    searchable: ['leadId'],
    link: { field: 'leadId', leadField: 'id' },
    fields: [
      { name: 'registrationId', displayName: 'Registration Id', dataType: 'string', length: 255 },
      { name: 'leadId', displayName: 'Lead', dataType: 'link' },
      { name: 'eventName', displayName: 'Event', dataType: 'string', length: 255 },
      { name: 'eventDate', displayName: 'Event Date', dataType: 'date' },
      { name: 'attended', displayName: 'Attended', dataType: 'boolean' },
    ],
  },
];

export function dedupeKey(type: CustomObjectTypeInput, values: Record<string, unknown>): string | null {
  const parts: unknown[] = [];
  for (const field of type.dedupeFields) {
    const value = values[field];
    if (value === undefined || value === null || value === '') return null;
    parts.push(value);
  }
  return JSON.stringify(parts);
}

export class CustomObjectStore {
  readonly types = new Map<string, CustomObjectType>();
  enabled = true;
  private nextGuid = 1;

  constructor(private readonly now: () => number) {
    this.clear();
  }

  clear(): void {
    this.types.clear();
    this.nextGuid = 1;
    this.enabled = true;
    for (const type of DEFAULT_TYPES) this.define(type);
  }

  define(input: CustomObjectTypeInput): CustomObjectType {
    const now = this.now();
    const type: CustomObjectType = {
      ...input,
      createdAt: now,
      updatedAt: now,
      records: new Map(),
      dedupeIndex: new Map(),
    };
    this.types.set(input.name, type);
    return type;
  }

  /** GUIDs are deterministic (a counter in UUID form) so seeded runs compare equal. */
  newGuid(): string {
    const n = (this.nextGuid++).toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${n}`;
  }

  /** Type metadata as describe.json returns it. */
  fieldsOf(type: CustomObjectType): CustomObjectField[] {
    return [
      { name: 'createdAt', displayName: 'Created At', dataType: 'datetime', updateable: false },
      { name: 'marketoGUID', displayName: 'Marketo GUID', dataType: 'string', length: 36, updateable: false },
      { name: 'updatedAt', displayName: 'Updated At', dataType: 'datetime', updateable: false },
      ...type.fields.map((f) => ({ ...f, updateable: !type.dedupeFields.includes(f.name) })),
    ];
  }

  /** A merge moves the losers' linked records to the winner (as Marketo keeps a person's records). */
  mergeLead(winner: number, loser: number): void {
    for (const type of this.types.values()) {
      if (type.link?.leadField !== 'id') continue;
      for (const record of type.records.values())
        if (record.values[type.link.field] === loser) record.values[type.link.field] = winner;
    }
  }

  /** Removes the records linked to a deleted lead through the type's link field. */
  removeLead(leadId: number): void {
    for (const type of this.types.values()) {
      if (type.link?.leadField !== 'id') continue;
      for (const [guid, record] of type.records) {
        if (record.values[type.link.field] !== leadId) continue;
        type.records.delete(guid);
        const key = dedupeKey(type, record.values);
        if (key) type.dedupeIndex.delete(key);
      }
    }
  }
}
