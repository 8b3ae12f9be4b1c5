// Standard activity types (api-facts B6, ids from the Talend map and the activities docs). Ids can
// differ per real instance; clients must read types.json, and this list is what the emulator serves.

export const ACTIVITY = {
  visitWebpage: 1,
  fillOutForm: 2,
  clickLink: 3,
  sendEmail: 6,
  emailDelivered: 7,
  openEmail: 10,
  clickEmail: 11,
  newLead: 12,
  changeDataValue: 13,
  syncLeadToSfdc: 19,
  convertLead: 21,
  changeScore: 22,
  mergeLeads: 32,
  deleteLead: 37,
  interestingMoment: 46,
  changeStatusInProgression: 104,
  pushLeadToMarketo: 145,
} as const;

type Attr = [name: string, dataType: string];

interface TypeRow {
  id: number;
  name: string;
  description: string;
  primary?: Attr;
  attributes: Attr[];
}

const WEB: Attr[] = [
  ['Client IP Address', 'string'],
  ['Query Parameters', 'string'],
  ['Referrer URL', 'string'],
  ['User Agent', 'string'],
];

const EMAIL: Attr[] = [
  ['Campaign Run ID', 'integer'],
  ['Choice Number', 'integer'],
  ['Step ID', 'integer'],
];

const ROWS: TypeRow[] = [
  {
    id: 1,
    name: 'Visit Webpage',
    description: 'User visits a web page',
    primary: ['Webpage ID', 'integer'],
    attributes: [...WEB, ['Webpage URL', 'string']],
  },
  {
    id: 2,
    name: 'Fill Out Form',
    description: 'User fills out and submits form on web page',
    primary: ['Webform ID', 'integer'],
    attributes: [...WEB, ['Form Fields', 'text'], ['Webpage ID', 'integer']],
  },
  {
    id: 3,
    name: 'Click Link',
    description: 'User clicks link on a page',
    primary: ['Link ID', 'integer'],
    attributes: [...WEB, ['Webpage ID', 'integer']],
  },
  {
    id: 6,
    name: 'Send Email',
    description: 'Send Marketo Email to a person',
    primary: ['Mailing ID', 'integer'],
    attributes: EMAIL,
  },
  {
    id: 7,
    name: 'Email Delivered',
    description: 'Marketo Email is delivered to a person',
    primary: ['Mailing ID', 'integer'],
    attributes: EMAIL,
  },
  {
    id: 8,
    name: 'Email Bounced',
    description: 'Marketo Email bounces',
    primary: ['Mailing ID', 'integer'],
    attributes: [...EMAIL, ['Details', 'string'], ['Email', 'string']],
  },
  {
    id: 9,
    name: 'Unsubscribe Email',
    description: 'Person unsubscribes from Marketo Emails',
    primary: ['Mailing ID', 'integer'],
    attributes: [...EMAIL, ['Client IP Address', 'string']],
  },
  {
    id: 10,
    name: 'Open Email',
    description: 'User opens Marketo Email',
    primary: ['Mailing ID', 'integer'],
    attributes: [...EMAIL, ['Device', 'string'], ['Is Mobile Device', 'boolean'], ['Platform', 'string']],
  },
  {
    id: 11,
    name: 'Click Email',
    description: 'User clicks on a link in a Marketo Email',
    primary: ['Mailing ID', 'integer'],
    attributes: [
      ...EMAIL,
      ['Device', 'string'],
      ['Link', 'string'],
      ['Link ID', 'string'],
      ['Platform', 'string'],
    ],
  },
  {
    id: 12,
    name: 'New Lead',
    description: 'New person',
    attributes: [
      ['Source Type', 'string'],
      ['Form Name', 'string'],
      ['Lead Source', 'string'],
      ['List Name', 'string'],
      ['SFDC Type', 'string'],
      ['Created Date', 'date'],
    ],
  },
  {
    id: 13,
    name: 'Change Data Value',
    description: 'Changed attribute value for a person',
    primary: ['Attribute Name', 'string'],
    attributes: [
      ['New Value', 'string'],
      ['Old Value', 'string'],
      ['Reason', 'string'],
      ['Source', 'string'],
    ],
  },
  {
    id: 19,
    name: 'Sync Lead to SFDC',
    description: 'Push person to SFDC',
    attributes: [['Assign To', 'string']],
  },
  {
    id: 21,
    name: 'Convert Lead',
    description: 'Convert a person',
    attributes: [
      ['Acquired By', 'boolean'],
      ['Converted Status', 'string'],
    ],
  },
  {
    id: 22,
    name: 'Change Score',
    description: 'Change a person score',
    primary: ['Score Name', 'string'],
    attributes: [
      ['Change Value', 'string'],
      ['New Value', 'integer'],
      ['Old Value', 'integer'],
      ['Reason', 'string'],
    ],
  },
  {
    id: 32,
    name: 'Merge Leads',
    description: 'Merge persons',
    primary: ['Lead ID', 'integer'],
    attributes: [
      ['Master Updated', 'boolean'],
      ['Merge IDs', 'string'],
      ['Merge Source', 'string'],
      ['Merged in Sales', 'boolean'],
    ],
  },
  {
    id: 37,
    name: 'Delete Lead',
    description: 'Delete a person',
    primary: ['Lead ID', 'integer'],
    attributes: [['Remove from CRM', 'boolean']],
  },
  {
    id: 46,
    name: 'Interesting Moment',
    description: 'Interesting moment',
    primary: ['Marketo Asset Name', 'string'],
    attributes: [
      ['Description', 'text'],
      ['Source', 'string'],
      ['Date', 'datetime'],
    ],
  },
  {
    id: 104,
    name: 'Change Status in Progression',
    description: 'Change a program status for a person',
    primary: ['Program ID', 'integer'],
    attributes: [
      ['New Status', 'string'],
      ['Old Status', 'string'],
      ['Reason', 'string'],
      ['Success', 'boolean'],
    ],
  },
  {
    id: 145,
    name: 'Push Lead to Marketo',
    description: 'Push a person to Marketo through the API',
    primary: ['Program ID', 'integer'],
    attributes: [
      ['Reason', 'string'],
      ['Source', 'string'],
    ],
  },
];

export const ACTIVITY_TYPE_IDS = new Set(ROWS.map((r) => r.id));

export function activityTypeName(id: number): string {
  return ROWS.find((r) => r.id === id)?.name ?? 'Unknown';
}

export function activityTypesResult(): Record<string, unknown>[] {
  return ROWS.map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    ...(row.primary ? { primaryAttribute: { name: row.primary[0], dataType: row.primary[1] } } : {}),
    attributes: row.attributes.map(([name, dataType]) => ({ name, dataType })),
  }));
}
