// The demo org's email assets (issue 20, docs/email-templates.md): in Marketo a Design Studio folder
// "Sales Emails" of approved emails — a 1.0 and a 2.0 email, one with a draft edit waiting, one whose
// text Salesforce refuses (a merge field left open) — plus a draft never approved, and another
// folder the demo settings leave out; in Salesforce the "Marketo Emails" folder the sync writes to,
// and "Sales Templates" holding the org's own templates. Built last and without the seed's random
// numbers, so every record built before keeps its values.
import type { EmailSection } from '../marketo/emailStore';
import { daysAgo, type SeedContext } from './context';

export const DEMO_EMAIL_FOLDER = 'Sales Emails';
export const DEMO_TEMPLATE_FOLDER = 'Marketo Emails';

const section = (htmlId: string, html: string, text: string): EmailSection => ({ htmlId, html, text });

const EMAILS: { name: string; subject: string; version?: 2; sections: EmailSection[]; approved?: false }[] = [
  {
    name: 'Welcome to Acme',
    subject: 'Welcome to Acme, {{lead.First Name:default=there}}',
    sections: [
      section('title', '<h1>Welcome aboard</h1>', 'Welcome aboard'),
      section(
        'body',
        '<p>Thanks for your interest in Acme Analytics. Here is how to get started.</p>',
        'Thanks for your interest in Acme Analytics. Here is how to get started.',
      ),
    ],
  },
  {
    name: 'Product Tour Invite',
    subject: 'A 20-minute tour of Acme Analytics',
    sections: [
      section(
        'body',
        '<p>Pick a time for a guided tour: <a href="https://example.com/tour">book here</a>.</p>',
        'Pick a time for a guided tour: https://example.com/tour',
      ),
    ],
  },
  {
    name: 'Pricing Follow-up',
    subject: 'Your Acme pricing questions',
    version: 2,
    sections: [
      section('intro', '<p>As promised, our plans side by side.</p>', 'As promised, our plans side by side.'),
      section(
        'table',
        '<table><tr><td>Team</td><td>$49</td></tr><tr><td>Business</td><td>$199</td></tr></table>',
        'Team: $49\nBusiness: $199',
      ),
    ],
  },
  {
    name: 'Case Study: Globex',
    subject: 'How Globex cut reporting time by 60%',
    sections: [
      section(
        'body',
        '<p>Globex moved 40 dashboards to Acme in a week.</p>',
        'Globex moved 40 dashboards to Acme in a week.',
      ),
    ],
  },
  {
    name: 'Quarterly Check-in',
    subject: 'Checking in for the quarter',
    sections: [
      section(
        'body',
        '<p>Anything we can help with this quarter?</p>',
        'Anything we can help with this quarter?',
      ),
    ],
  },
  {
    name: 'Partner Invite',
    subject: 'Join the Acme partner program',
    // A Salesforce merge field typed without its closing brace: Salesforce refuses the text body.
    sections: [section('body', '<p>Dear partner,</p>', 'Dear {!Contact.FirstName, welcome to the program.')],
  },
  {
    name: 'Holiday Greetings',
    subject: 'Season’s greetings from Acme',
    approved: false,
    sections: [section('body', '<p>Happy holidays!</p>', 'Happy holidays!')],
  },
];

export function seedDemoEmails(ctx: SeedContext): void {
  const emails = ctx.marketoStore.emails;
  const sales = emails.createFolder({ name: DEMO_EMAIL_FOLDER });
  const newsletters = emails.createFolder({ name: 'Newsletters' });
  const at = daysAgo(ctx, 30, 20);
  const stamp = (id: number) => {
    const email = emails.get(id);
    email.createdAt = at;
    for (const v of [email.approved, email.draft]) if (v) v.updatedAt = at;
  };
  const content = (e: (typeof EMAILS)[number]) => ({
    subject: e.subject,
    fromName: 'Acme Marketing',
    fromEmail: 'marketing@acme.example',
    replyEmail: 'sales@acme.example',
    sections: e.sections,
  });
  for (const e of EMAILS) {
    const made = emails.createEmail({
      name: e.name,
      folder: { id: sales.id, type: 'Folder' },
      ...(e.version && { version: e.version }),
      content: content(e),
      approved: e.approved ?? true,
    });
    stamp(made.id);
    if (e.name === 'Quarterly Check-in') {
      // An edit a marketer has not approved yet: the sync keeps the approved version.
      emails.editDraft(made.id, { subject: 'Checking in (new wording)' });
      made.draft!.updatedAt = at + 86_400_000;
    }
  }
  for (const name of ['March Newsletter', 'April Newsletter'])
    stamp(
      emails.createEmail({
        name,
        folder: { id: newsletters.id, type: 'Folder' },
        content: content({ name, subject: name, sections: [section('body', `<p>${name}</p>`, name)] }),
        approved: true,
      }).id,
    );

  const { org } = ctx;
  const admin = org.principals.adminUserId;
  const folderAt = daysAgo(ctx, 200, 150);
  const folder = (Name: string, DeveloperName: string) =>
    org.store.insert('Folder', { Name, DeveloperName, Type: 'Email', AccessType: 'Public' }, admin, folderAt)
      .Id as string;
  folder(DEMO_TEMPLATE_FOLDER, 'Marketo_Emails');
  const own = folder('Sales Templates', 'Sales_Templates');
  // The org's own templates sit in their folder (their stamps stay as they were).
  for (const row of org.store.table('EmailTemplate').records.values())
    if (!row.FolderId)
      org.store.update(row.Id as string, { FolderId: own }, admin, row.LastModifiedDate as number, false);
}
