// The org's fixed population: the Organization row, two profiles, their permission sets and two
// users — an admin (the default connected/sync user) and a standard, non-admin user — created
// first in every seed so their ids are the same in every org.

import type { FieldSecurity, SfRecord } from './schema/types';
import type { SalesforceStore } from './store';

export interface OrgPrincipals {
  orgId: string;
  adminUserId: string;
  standardUserId: string;
  adminProfileId: string;
  standardProfileId: string;
}

const SYSTEM_USER = '005000000000000AAA';

export function bootstrapOrg(store: SalesforceStore, orgName: string): OrgPrincipals {
  const org = store.insert(
    'Organization',
    {
      Name: orgName,
      TimeZoneSidKey: 'Europe/Amsterdam',
      OrganizationType: 'Enterprise Edition',
      IsSandbox: false,
      InstanceName: 'EMU1',
      LanguageLocaleKey: 'en_US',
    },
    SYSTEM_USER,
  );
  const allPerms = {
    PermissionsModifyAllData: true,
    PermissionsViewAllData: true,
    PermissionsApiEnabled: true,
    PermissionsViewSetup: true,
    PermissionsCustomizeApplication: true,
    PermissionsManageUsers: true,
  };
  const standardPerms = {
    PermissionsModifyAllData: false,
    PermissionsViewAllData: false,
    PermissionsApiEnabled: true,
    PermissionsViewSetup: false,
    PermissionsCustomizeApplication: false,
    PermissionsManageUsers: false,
  };
  const adminProfile = store.insert(
    'Profile',
    { Name: 'System Administrator', UserType: 'Standard', ...allPerms },
    SYSTEM_USER,
  );
  const standardProfile = store.insert(
    'Profile',
    { Name: 'Standard User', UserType: 'Standard', ...standardPerms },
    SYSTEM_USER,
  );
  const admin = store.insert(
    'User',
    {
      Username: 'sync.admin@emulator.example',
      FirstName: 'Sync',
      LastName: 'Admin',
      Alias: 'sadmin',
      Email: 'sync.admin@emulator.example',
      IsActive: true,
      TimeZoneSidKey: 'Europe/Amsterdam',
      LocaleSidKey: 'nl_NL',
      LanguageLocaleKey: 'en_US',
      ProfileId: adminProfile.Id,
      UserType: 'Standard',
      Title: 'Salesforce Administrator',
    },
    SYSTEM_USER,
  );
  const standard = store.insert(
    'User',
    {
      Username: 'sam.seller@emulator.example',
      FirstName: 'Sam',
      LastName: 'Seller',
      Alias: 'sseller',
      Email: 'sam.seller@emulator.example',
      IsActive: true,
      TimeZoneSidKey: 'America/New_York',
      LocaleSidKey: 'en_US',
      LanguageLocaleKey: 'en_US',
      ProfileId: standardProfile.Id,
      UserType: 'Standard',
      Title: 'Account Executive',
    },
    SYSTEM_USER,
  );
  for (const [profile, perms, name] of [
    [adminProfile, allPerms, 'X00ex000000SysAdmin'],
    [standardProfile, standardPerms, 'X00ex000000StdUser'],
  ] as const) {
    const ps = store.insert(
      'PermissionSet',
      { Name: name, Label: name, IsOwnedByProfile: true, ProfileId: profile.Id, ...perms },
      SYSTEM_USER,
    );
    const assignee = profile === adminProfile ? admin : standard;
    store.insert('PermissionSetAssignment', { AssigneeId: assignee.Id, PermissionSetId: ps.Id }, SYSTEM_USER);
  }
  store.schema.applyDefaultSecurity([adminProfile.Id as string, standardProfile.Id as string]);
  return {
    orgId: org.Id as string,
    adminUserId: admin.Id as string,
    standardUserId: standard.Id as string,
    adminProfileId: adminProfile.Id as string,
    standardProfileId: standardProfile.Id as string,
  };
}

/** What the API needs to know about the caller: permissions and field-level security. */
export class UserContext {
  readonly fls: FieldSecurity;

  constructor(
    readonly user: SfRecord,
    readonly profile: SfRecord,
    readonly isAdmin: boolean,
    store: SalesforceStore,
  ) {
    this.fls = store.schema.fieldSecurity(profile.Id as string);
  }

  get id(): string {
    return this.user.Id as string;
  }

  get canViewSetup(): boolean {
    return this.profile.PermissionsViewSetup === true;
  }

  canRead(objectName: string, fieldName: string): boolean {
    return !this.fls.hidden.has(`${objectName}.${fieldName}`);
  }

  canEdit(objectName: string, fieldName: string): boolean {
    const key = `${objectName}.${fieldName}`;
    return !this.fls.hidden.has(key) && !this.fls.readOnly.has(key);
  }

  static load(store: SalesforceStore, userId: string): UserContext | undefined {
    const user = store.get(userId);
    if (!user || user.IsActive === false) return undefined;
    const profile = store.get(user.ProfileId as string);
    if (!profile) return undefined;
    let isAdmin = profile.PermissionsModifyAllData === true;
    if (!isAdmin) {
      for (const psa of store.table('PermissionSetAssignment').records.values()) {
        if (psa.AssigneeId !== userId || psa.IsDeleted) continue;
        if (store.get(psa.PermissionSetId as string)?.PermissionsModifyAllData === true) isAdmin = true;
      }
    }
    return new UserContext(user, profile, isAdmin, store);
  }
}
