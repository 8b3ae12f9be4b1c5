// The org's schema: object definitions indexed by name (case-insensitive) and key prefix,
// runtime field additions (so "Sync Schema" can find new fields) and per-profile field security.
import { Event, Task } from './activities';
import { EventRegistration, Subscription } from './custom';
import { EmailTemplate, Folder } from './emailTemplates';
import { Contact, Lead, PERSON_HIDDEN_FIELDS, PERSON_READ_ONLY_FIELDS } from './leadContact';
import { Campaign, CampaignMember, CampaignMemberStatus } from './marketing';
import { Account, Opportunity, OpportunityContactRole } from './sales';
import type { FieldDef, FieldSecurity, ObjectDef } from './types';
import { Organization, PermissionSet, PermissionSetAssignment, Profile, User } from './users';

export const OBJECT_DEFS: readonly ObjectDef[] = [
  Lead,
  Contact,
  Account,
  Opportunity,
  OpportunityContactRole,
  Campaign,
  CampaignMember,
  CampaignMemberStatus,
  Task,
  Event,
  User,
  Profile,
  PermissionSet,
  PermissionSetAssignment,
  EmailTemplate,
  Folder,
  Organization,
  Subscription,
  EventRegistration,
];

export class SObjectType {
  readonly fieldsByLower = new Map<string, FieldDef>();
  readonly relationshipsByLower = new Map<string, FieldDef>();
  /** Describe's If-Modified-Since compares against this. */
  modifiedAt: number;

  constructor(
    readonly def: ObjectDef,
    createdAt: number,
  ) {
    this.modifiedAt = createdAt;
    for (const f of def.fields) this.index(f);
  }

  get name(): string {
    return this.def.name;
  }

  get fields(): FieldDef[] {
    return this.def.fields;
  }

  field(name: string): FieldDef | undefined {
    return this.fieldsByLower.get(name.toLowerCase());
  }

  relationship(name: string): FieldDef | undefined {
    return this.relationshipsByLower.get(name.toLowerCase());
  }

  nameField(): FieldDef | undefined {
    return this.def.fields.find((f) => f.nameField);
  }

  addField(f: FieldDef, at: number): void {
    this.def.fields.push(f);
    this.index(f);
    this.modifiedAt = at;
  }

  private index(f: FieldDef): void {
    this.fieldsByLower.set(f.name.toLowerCase(), f);
    if (f.relationshipName) this.relationshipsByLower.set(f.relationshipName.toLowerCase(), f);
  }
}

export class Schema {
  private readonly byLower = new Map<string, SObjectType>();
  private readonly byPrefix = new Map<string, SObjectType>();
  private readonly security = new Map<string, FieldSecurity>();
  /** Validation rules an admin deactivated (`Object.RuleName`); all are active at first. */
  readonly inactiveRules = new Set<string>();

  constructor(createdAt: number) {
    for (const def of OBJECT_DEFS) {
      // Deep-copy field arrays: runtime addField must not leak between emulator instances.
      const type = new SObjectType({ ...def, fields: def.fields.map((f) => ({ ...f })) }, createdAt);
      this.byLower.set(def.name.toLowerCase(), type);
      this.byPrefix.set(def.keyPrefix, type);
    }
  }

  all(): SObjectType[] {
    return [...this.byLower.values()];
  }

  get(name: string): SObjectType | undefined {
    return this.byLower.get(name.toLowerCase());
  }

  /** An object deleted in Setup (or renamed: its old API name is gone just the same). */
  remove(name: string): SObjectType | undefined {
    const type = this.get(name);
    if (!type) return undefined;
    this.byLower.delete(type.name.toLowerCase());
    this.byPrefix.delete(type.def.keyPrefix);
    return type;
  }

  byKeyPrefix(prefix: string): SObjectType | undefined {
    return this.byPrefix.get(prefix);
  }

  /** Field security of a profile (by profile id); a profile with no entry sees and edits everything. */
  fieldSecurity(profileId: string): FieldSecurity {
    let fs = this.security.get(profileId);
    if (!fs) {
      fs = { hidden: new Set(), readOnly: new Set() };
      this.security.set(profileId, fs);
    }
    return fs;
  }

  /** Default FLS: the person objects' hidden and read-only custom fields, for every given profile. */
  applyDefaultSecurity(profileIds: string[]): void {
    for (const profileId of profileIds) {
      const fs = this.fieldSecurity(profileId);
      for (const obj of ['Lead', 'Contact']) {
        for (const f of PERSON_HIDDEN_FIELDS) fs.hidden.add(`${obj}.${f}`);
        for (const f of PERSON_READ_ONLY_FIELDS) fs.readOnly.add(`${obj}.${f}`);
      }
    }
  }
}

export type { FieldDef, ObjectDef, SfRecord, Value } from './types';
