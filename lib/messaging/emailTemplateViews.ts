// What the record panel shows on an EmailTemplate page the sync writes (issue 20,
// lib/records/emailTemplatePanel.ts): its source Marketo email and what the sync last saw of it.

export interface EmailTemplatePanelView {
  emailId: number;
  /** The email's name in Marketo, as last synced. */
  emailName?: string;
  /** The Marketo folder (or program) it was found in. */
  folderName: string;
  /** Whether that folder is still one the settings sync. */
  folderChosen: boolean;
  /** What the sync last saw: approved; unapproved, deleted, or moved out of the synced folders. */
  approval: 'approved' | 'unapproved' | 'deleted' | 'moved';
  /** The template is available for use (the sync makes it inactive when its email goes). */
  active: boolean;
  /** Salesforce refused the content: the template exists without it until the email is fixed. */
  contentOwed: boolean;
  /** The approval (Marketo's updatedAt) of the version the template holds. */
  approvedAt?: number;
  /** When the sync last browsed the Marketo folders (at most hourly). */
  checkedAt?: number;
  /** The template was deleted in Salesforce: the sync does not make it again. */
  deletedInSalesforce: boolean;
}
