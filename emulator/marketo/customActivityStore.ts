// Custom activity types (activities.md "Custom Activity Types", api-facts E2.8): created as a draft,
// approved to go live, edited as a draft over the live version ("approved with draft"), discarded,
// deleted. Ids start at 100001 (the doc's example; standard types stay below 100000). An instance
// has at most `typeLimit` types (10, "most subscriptions", create-a-custom-activity) and a type at
// most 20 secondary attributes. Activities of an approved type are added through external.json
// (customActivities.ts) into the ordinary activity log.

export const ATTRIBUTE_TYPES = [
  'string',
  'boolean',
  'integer',
  'float',
  'link',
  'email',
  'currency',
  'date',
  'datetime',
  'phone',
  'text',
] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export const MAX_SECONDARY_ATTRIBUTES = 20;
export const DEFAULT_TYPE_LIMIT = 10;

export interface TypeAttribute {
  apiName: string;
  name: string;
  description?: string;
  dataType: AttributeType;
}

/** One version of a type: the live (approved) one or the draft an edit makes. */
export interface TypeVersion {
  name: string;
  description?: string;
  triggerName: string;
  filterName: string;
  primaryAttribute: TypeAttribute;
  attributes: TypeAttribute[];
}

export interface CustomActivityType {
  id: number;
  apiName: string;
  createdAt: number;
  updatedAt: number;
  approved?: TypeVersion;
  draft?: TypeVersion;
}

export type TypeStatus = 'draft' | 'approved' | 'approved with draft';

export function statusOf(type: CustomActivityType): TypeStatus {
  if (type.approved && type.draft) return 'approved with draft';
  return type.approved ? 'approved' : 'draft';
}

export class CustomActivityStore {
  readonly types = new Map<string, CustomActivityType>();
  typeLimit = DEFAULT_TYPE_LIMIT;
  private nextId = 100_001;

  constructor(private readonly now: () => number) {}

  byId(id: number): CustomActivityType | undefined {
    for (const type of this.types.values()) if (type.id === id) return type;
    return undefined;
  }

  /** The version a reader sees: the draft when asked for (or when nothing is live), else the live one. */
  versionOf(type: CustomActivityType, draft: boolean): TypeVersion {
    return (draft ? (type.draft ?? type.approved) : (type.approved ?? type.draft))!;
  }

  create(apiName: string, version: TypeVersion): CustomActivityType {
    const at = this.now();
    const type: CustomActivityType = {
      id: this.nextId++,
      apiName,
      createdAt: at,
      updatedAt: at,
      draft: version,
    };
    this.types.set(apiName, type);
    return type;
  }

  /** The draft to edit: the existing one, or a copy of the live version. */
  editable(type: CustomActivityType): TypeVersion {
    type.draft ??= structuredClone(type.approved!);
    type.updatedAt = this.now();
    return type.draft;
  }

  clear(): void {
    this.types.clear();
    this.typeLimit = DEFAULT_TYPE_LIMIT;
    this.nextId = 100_001;
  }
}
