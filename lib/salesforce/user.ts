// Who the client is connected as: user id, name, time zone (the dashboard shows times in it) and
// whether the user is an admin (design §2: the views are admin-only). `userinfo` gives the ids
// and `zoneinfo` for either kind of session; the admin right is read the way admin tools do it:
// `PermissionsModifyAllData` on the user's profile, or on any permission set assigned to them.
import { z } from 'zod';
import { parseWith } from '../http/parse';
import { composite, subrequestBody } from './composite';
import { queryPageSchema } from './schemas';
import { and, eq, soql } from './soql';
import type { SalesforceTransport } from './transport';

export const UserInfoResponse = z.looseObject({
  user_id: z.string(),
  organization_id: z.string(),
  preferred_username: z.string(),
  name: z.string().optional(),
  zoneinfo: z.string().optional(),
});

const UserRow = z.looseObject({
  Id: z.string(),
  Username: z.string(),
  Name: z.string().nullable(),
  TimeZoneSidKey: z.string(),
  Profile: z
    .looseObject({
      Name: z.string().nullable().optional(),
      PermissionsModifyAllData: z.boolean(),
      PermissionsViewSetup: z.boolean().optional(),
    })
    .nullable(),
});

const AssignmentRow = z.looseObject({ Id: z.string() });

export interface CurrentUser {
  id: string;
  orgId: string;
  username: string;
  displayName: string;
  /** IANA time zone, e.g. Europe/Amsterdam (Salesforce's TimeZoneSidKey). */
  timeZone: string;
  /** Modify All Data, from the profile or a permission set. */
  isAdmin: boolean;
}

export async function currentUser(transport: SalesforceTransport): Promise<CurrentUser> {
  const me = await transport.data({
    method: 'GET',
    path: '/services/oauth2/userinfo',
    endpoint: 'userinfo',
    schema: UserInfoResponse,
  });
  const v = `/services/data/v${transport.apiVersion}`;
  const userQuery = soql({
    select: [
      'Id',
      'Username',
      'Name',
      'TimeZoneSidKey',
      'Profile.Name',
      'Profile.PermissionsModifyAllData',
      'Profile.PermissionsViewSetup',
    ],
    from: 'User',
    where: eq('Id', me.user_id),
  });
  const grantQuery = soql({
    select: ['Id'],
    from: 'PermissionSetAssignment',
    where: and(eq('AssigneeId', me.user_id), eq('PermissionSet.PermissionsModifyAllData', true)),
    limit: 1,
  });
  const [userResponse, grantResponse] = await composite(transport, [
    { method: 'GET', url: `${v}/query?${new URLSearchParams({ q: userQuery })}`, referenceId: 'user' },
    { method: 'GET', url: `${v}/query?${new URLSearchParams({ q: grantQuery })}`, referenceId: 'grant' },
  ]);
  const users = parseWith(queryPageSchema(UserRow), subrequestBody(userResponse!), 'Salesforce User query');
  const grants = parseWith(
    queryPageSchema(AssignmentRow),
    subrequestBody(grantResponse!),
    'Salesforce PermissionSetAssignment query',
  );
  const user = users.records[0];
  if (!user) throw new Error(`Salesforce userinfo named user ${me.user_id}, but no such User row is visible`);
  return {
    id: user.Id,
    orgId: me.organization_id,
    username: user.Username,
    displayName: user.Name ?? me.name ?? user.Username,
    timeZone: user.TimeZoneSidKey || me.zoneinfo || 'UTC',
    isAdmin: (user.Profile?.PermissionsModifyAllData ?? false) || grants.records.length > 0,
  };
}
