// What the options page gets to choose the email template folders from (issue 20,
// lib/connections/emailFolderChoices.ts).

export interface MarketoFolderChoice {
  id: number;
  type: 'Folder' | 'Program';
  name: string;
  /** Where it is: "/Design Studio/Default/Emails/Sales Emails". */
  path: string;
}

export interface SalesforceFolderChoice {
  id: string;
  name: string;
}

export interface EmailFolderChoicesView {
  /** Design Studio email folders and Marketing Activities programs (emails live in either). */
  marketo: MarketoFolderChoice[];
  /** Salesforce folders of type Email. */
  salesforce: SalesforceFolderChoice[];
  /** Why one side could not be read (the other side's folders still come). */
  error?: string;
}
