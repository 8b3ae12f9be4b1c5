// An approved Marketo email as the fields of its Salesforce email template (docs/email-templates.md
// "What a template gets"), and the per-record errors of content Salesforce refuses.
//
// The HTML and text come from Get Email Full Content (the document as sent), which Marketo serves
// for Email Editor 1.0 emails only (emails.md); for any email it refuses with 709 the template is
// built from the email's editable sections (Get Email Content) inside a plain HTML body, and the
// link remembers it so later reads go there straight away. Both ways cost two calls per email the
// first time; a 2.0 email then costs one.
import type { RecordError } from '../../../db/types';
import { MarketoApiError, type MarketoEmail, type MarketoEmailSection } from '../../../marketo';
import type { SaveResult } from '../../../salesforce/collections';
import type { StepContext } from '../../context';
import { hashText } from '../../hash';
import { salesforceError } from '../common';
import type { ContentField } from './links';

/** Salesforce keeps 384 KB of HTML and of text in a template (object reference: "Limit: 384 KB"). */
export const BODY_LIMIT = 384_000;
/** EmailTemplate.Name holds 80 characters. */
const NAME_LIMIT = 80;

export interface EmailContent {
  html: string;
  text: string;
  /** The full-content read was refused (709): the sections were used. */
  sections: boolean;
  /** Marketo refused the sections too (709, e.g. Predictive Content): nothing to write. */
  unreadable?: RecordError;
}

export interface TemplateContent {
  Name: string;
  Subject: string;
  HtmlValue: string;
  Body: string;
}

/** The template's unique name: stable per email, so a create sent twice cannot make two. */
export const developerNameOf = (emailId: number) => `Marketo_Email_${emailId}`;

const stripTags = (html: string) =>
  html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/p>|<\/div>|<\/h\d>|<\/tr>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n\n')
    .trim();

function sectionValues(section: MarketoEmailSection): { html?: string; text?: string } {
  const value = section.value;
  if (typeof value === 'string') return { html: value };
  if (!Array.isArray(value)) return {};
  const of = (type: string) => {
    const v = value.find((x) => (x as { type?: unknown })?.type === type) as { value?: unknown } | undefined;
    return typeof v?.value === 'string' ? v.value : undefined;
  };
  return { html: of('HTML'), text: of('Text') };
}

/** Reads the approved version's HTML and text; null when the email has gone since the browse. */
export async function readContent(
  ctx: StepContext,
  emailId: number,
  sectionsFirst: boolean,
): Promise<EmailContent | null> {
  if (!sectionsFirst) {
    try {
      ctx.budget.check();
      const html = await ctx.marketo.emails.fullContent(emailId, 'HTML', 'approved');
      if (html === null) return null;
      ctx.budget.check();
      const text = await ctx.marketo.emails.fullContent(emailId, 'Text', 'approved');
      return { html, text: text ?? stripTags(html), sections: false };
    } catch (error) {
      if (!(error instanceof MarketoApiError && error.code === '709')) throw error;
    }
  }
  ctx.budget.check();
  let sections: MarketoEmailSection[];
  try {
    sections = await ctx.marketo.emails.content(emailId, 'approved');
  } catch (error) {
    if (!(error instanceof MarketoApiError && error.code === '709')) throw error;
    // emails.md: Predictive Content emails answer 709 to content reads. One email, not the step.
    const unreadable = {
      code: 'EMAIL_UNREADABLE',
      message: `Marketo does not give this email's content through its API: ${error.message}`,
      fields: ['HtmlValue', 'Body'],
    };
    return { html: '', text: '', sections: true, unreadable };
  }
  if (sections.length === 0) return null;
  const values = sections.map(sectionValues).filter((v) => v.html !== undefined || v.text !== undefined);
  const html = `<html>\n<body>\n${values.map((v) => v.html ?? '').join('\n')}\n</body>\n</html>`;
  const text = values.map((v) => v.text ?? stripTags(v.html ?? '')).join('\n\n');
  return { html, text, sections: true };
}

/** The email's subject: its text, or (dynamic content, which Salesforce cannot hold) its name. */
function subjectOf(email: MarketoEmail): string {
  const subject = email.subject;
  return subject?.type === 'Text' && typeof subject.value === 'string' ? subject.value : email.name;
}

export function templateContent(email: MarketoEmail, content: EmailContent): TemplateContent {
  return {
    Name: email.name.length > NAME_LIMIT ? `${email.name.slice(0, NAME_LIMIT - 1)}…` : email.name,
    Subject: subjectOf(email),
    HtmlValue: content.html,
    Body: content.text,
  };
}

export function contentHashes(content: TemplateContent): Record<ContentField, string> {
  return {
    Name: hashText(content.Name),
    Subject: hashText(content.Subject),
    HtmlValue: hashText(content.HtmlValue),
    Body: hashText(content.Body),
  };
}

const CONTENT_LABELS: Record<string, string> = {
  HtmlValue: 'HTML',
  Body: 'text version',
  Subject: 'subject',
};

/** Content Salesforce would refuse for its size, found before any call; undefined when it fits. */
export function oversize(content: TemplateContent): RecordError | undefined {
  const over = (['HtmlValue', 'Body'] as const).filter((f) => content[f].length > BODY_LIMIT);
  if (over.length === 0) return undefined;
  const sizes = over.map(
    (f) => `${CONTENT_LABELS[f]} ${content[f].length.toLocaleString('en-US')} characters`,
  );
  return {
    code: 'EMAIL_TOO_LARGE',
    message: `The email is too large for a Salesforce email template (${sizes.join(', ')}; at most ${BODY_LIMIT.toLocaleString('en-US')})`,
    fields: over,
  };
}

/**
 * A Salesforce refusal as the record's failure: malformed merge fields and sizes are named for
 * what they are (their fix hints say what to change in Marketo); the rest as Salesforce says.
 */
export function writeError(result: SaveResult): RecordError {
  const error = salesforceError(result);
  const contentFields = error.fields.filter((f) => f in CONTENT_LABELS);
  if (error.code === 'FIELD_INTEGRITY_EXCEPTION' && contentFields.length > 0)
    return {
      code: 'EMAIL_MERGE_FIELDS',
      message: `Salesforce refused the email's ${contentFields.map((f) => CONTENT_LABELS[f]).join(' and ')}: ${error.message}`,
      fields: contentFields,
    };
  if (error.code === 'STRING_TOO_LONG')
    return {
      ...error,
      code: 'EMAIL_TOO_LARGE',
      message: error.message.length > 300 ? `${error.message.slice(0, 300)}…` : error.message,
    };
  return error;
}

/** What the log keeps of the fields written (the bodies by their size, not their text). */
export function loggedChanges(fields: Record<string, unknown>) {
  return Object.entries(fields)
    .filter(([field]) => field !== 'Id')
    .map(([field, value]) => ({
      field,
      old: null,
      new:
        (field === 'HtmlValue' || field === 'Body') && typeof value === 'string'
          ? `${value.length.toLocaleString('en-US')} characters`
          : value,
    }));
}
