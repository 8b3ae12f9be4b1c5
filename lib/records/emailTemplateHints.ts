// Fix hints of the email template steps' own failure codes (lib/sync/operations/emailTemplates/
// content.ts): the fix is made in Marketo, and the email approved again.
export const EMAIL_TEMPLATE_HINTS: Record<string, string> = {
  EMAIL_MERGE_FIELDS:
    'Salesforce reads “{!” as the start of a merge field and wants its closing “}”. Correct that text in the Marketo email (close the merge field, or write the brace another way) and approve the email again; the next check writes the template.',
  EMAIL_UNREADABLE:
    'Marketo does not hand out the content of this email through its API (emails with Predictive Content answer 709). Remove the predictive content from the email in Marketo and approve it again, or leave this email out of the synced folders.',
  EMAIL_TOO_LARGE:
    'A Salesforce email template holds at most 384,000 characters of HTML and of text. Shorten the Marketo email (fewer sections, images linked rather than embedded) and approve it again; the next check writes the template.',
};
