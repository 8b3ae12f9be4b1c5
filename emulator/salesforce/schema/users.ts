// User, Profile, PermissionSet, PermissionSetAssignment and Organization: what a client reads to
// learn the connected user's time zone and whether it has admin rights. Real tools check
// `Profile.PermissionsModifyAllData` on the User row (or PermissionSetAssignment → PermissionSet
// for rights granted by permission sets) and `TimeZoneSidKey`; /services/oauth2/userinfo gives
// the user id and `zoneinfo` too.
import { bool, field, lookup, picklist, systemFields, text } from './fields';
import type { FieldDef, ObjectDef } from './types';

const readOnly = { createable: false, updateable: false };
export const TIME_ZONES = [
  'America/Los_Angeles',
  'America/New_York',
  'Europe/Amsterdam',
  'Europe/London',
  'Asia/Tokyo',
];

function permissionFields(): FieldDef[] {
  return [
    'PermissionsModifyAllData',
    'PermissionsViewAllData',
    'PermissionsApiEnabled',
    'PermissionsViewSetup',
    'PermissionsCustomizeApplication',
    'PermissionsManageUsers',
  ].map((name) => bool(name, readOnly));
}

export const User: ObjectDef = {
  name: 'User',
  label: 'User',
  labelPlural: 'Users',
  keyPrefix: '005',
  deletable: false,
  fields: [
    ...systemFields(),
    text('Username', 80, { nillable: false, required: true, unique: true }),
    text('FirstName', 40),
    text('LastName', 80, { nillable: false, required: true }),
    text('Name', 121, {
      ...readOnly,
      nameField: true,
      label: 'Full Name',
      derive: (r) => [r.FirstName, r.LastName].filter(Boolean).join(' '),
    }),
    text('Alias', 8),
    field('Email', 'email', { length: 128, nillable: false, required: true }),
    bool('IsActive', { label: 'Active', defaultValue: true }),
    picklist('TimeZoneSidKey', TIME_ZONES, { nillable: false, label: 'Time Zone' }),
    text('LocaleSidKey', 40, { label: 'Locale' }),
    text('LanguageLocaleKey', 40, { label: 'Language' }),
    lookup('ProfileId', ['Profile'], 'Profile', { nillable: false, required: true }),
    text('UserType', 40, readOnly),
    text('Title', 80),
    text('Department', 80),
    field('Phone', 'phone', { length: 40 }),
    field('MobilePhone', 'phone', { length: 40 }),
  ],
};

export const Profile: ObjectDef = {
  name: 'Profile',
  label: 'Profile',
  labelPlural: 'Profiles',
  keyPrefix: '00e',
  createable: false,
  updateable: false,
  deletable: false,
  fields: [
    ...systemFields(),
    text('Name', 255, { ...readOnly, nameField: true }),
    text('UserType', 40, readOnly),
    ...permissionFields(),
  ],
};

export const PermissionSet: ObjectDef = {
  name: 'PermissionSet',
  label: 'Permission Set',
  labelPlural: 'Permission Sets',
  keyPrefix: '0PS',
  createable: false,
  updateable: false,
  deletable: false,
  fields: [
    ...systemFields(),
    text('Name', 80, { ...readOnly }),
    text('Label', 80, { ...readOnly, nameField: true }),
    bool('IsOwnedByProfile', readOnly),
    lookup('ProfileId', ['Profile'], 'Profile', readOnly),
    ...permissionFields(),
  ],
};

export const PermissionSetAssignment: ObjectDef = {
  name: 'PermissionSetAssignment',
  label: 'Permission Set Assignment',
  labelPlural: 'Permission Set Assignments',
  keyPrefix: '0Pa',
  fields: [
    ...systemFields(),
    lookup('AssigneeId', ['User'], 'Assignee', { nillable: false, required: true, updateable: false }),
    lookup('PermissionSetId', ['PermissionSet'], 'PermissionSet', {
      nillable: false,
      required: true,
      updateable: false,
    }),
  ],
};

export const Organization: ObjectDef = {
  name: 'Organization',
  label: 'Organization',
  labelPlural: 'Organizations',
  keyPrefix: '00D',
  createable: false,
  updateable: false,
  deletable: false,
  replicateable: false,
  fields: [
    ...systemFields(),
    text('Name', 80, { ...readOnly, nameField: true }),
    picklist('TimeZoneSidKey', TIME_ZONES, readOnly),
    text('OrganizationType', 40, readOnly),
    bool('IsSandbox', readOnly),
    text('InstanceName', 10, readOnly),
    text('LanguageLocaleKey', 40, readOnly),
  ],
};
