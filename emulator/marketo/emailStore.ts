// Email assets and the folders that hold them (issue 20; api-facts-objects E2.9, emails.md,
// folders.md). An email has up to two versions, as in Marketo's UI: the approved one (what is sent)
// and a draft (an edit not approved yet). Approving replaces the approved version with the draft;
// unapproving turns the approved version back into the draft. Folders are the Design Studio and
// Marketing Activities tree; a program is a folder too (type "Program"), taken from ProgramStore.
import type { ProgramStore } from './programStore';

export type FolderKind = 'Folder' | 'Program';

export interface FolderRef {
  id: number;
  type: FolderKind;
}

export interface AssetFolder {
  id: number;
  name: string;
  description: string | null;
  /** What it holds (folders.md): Zone for the roots, Email in Design Studio, Marketing Folder. */
  folderType: 'Zone' | 'Email' | 'Email Template' | 'Marketing Folder';
  parentId: number | null;
  isSystem: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface EmailSection {
  htmlId: string;
  html: string;
  text: string;
}

/** One version of an email: what its UI editor holds, and when it was saved. */
export interface EmailVersion {
  subject: string;
  fromName: string;
  fromEmail: string;
  replyEmail: string;
  sections: EmailSection[];
  updatedAt: number;
}

export interface StoredEmail {
  id: number;
  name: string;
  description: string;
  folder: FolderRef;
  /** Email Editor version (1 or 2); the full-content read serves 1.0 emails only (emails.md). */
  version: 1 | 2;
  template: number | null;
  operational: boolean;
  publishToMSI: boolean;
  /** An email of an A/B-tested email program: hidden from every query (emails.md note). */
  abTest: boolean;
  /** Uses Marketo Predictive Content: its content reads and approval answer 709 (emails.md note). */
  predictive: boolean;
  createdAt: number;
  approved?: EmailVersion;
  draft?: EmailVersion;
}

/** Roots every instance has; programs sit in Marketing Activities (id 12, as ProgramStore says). */
export const MARKETING_ACTIVITIES = 12;
export const DESIGN_STUDIO = 20;
export const DESIGN_STUDIO_EMAILS = 21;

export class EmailStore {
  readonly folders = new Map<number, AssetFolder>();
  readonly emails = new Map<number, StoredEmail>();
  private nextFolderId = 100;
  private nextEmailId = 1001;

  constructor(
    private readonly now: () => number,
    private readonly programs: ProgramStore,
  ) {
    this.addRoots();
  }

  clear(): void {
    this.folders.clear();
    this.emails.clear();
    this.nextFolderId = 100;
    this.nextEmailId = 1001;
    this.addRoots();
  }

  private addRoots(): void {
    const at = Date.parse('2015-01-01T00:00:00Z');
    const root = (id: number, name: string, folderType: AssetFolder['folderType'], parentId: number | null) =>
      this.folders.set(id, {
        id,
        name,
        description: null,
        folderType,
        parentId,
        isSystem: true,
        createdAt: at,
        updatedAt: at,
      });
    root(MARKETING_ACTIVITIES, 'Marketing Activities', 'Zone', null);
    root(DESIGN_STUDIO, 'Design Studio', 'Zone', null);
    root(DESIGN_STUDIO_EMAILS, 'Emails', 'Email', DESIGN_STUDIO);
  }

  createFolder(input: {
    name: string;
    parentId?: number;
    folderType?: AssetFolder['folderType'];
  }): AssetFolder {
    const parentId = input.parentId ?? DESIGN_STUDIO_EMAILS;
    if (!this.folders.has(parentId)) throw new Error(`Folder ${parentId} not found`);
    const at = this.now();
    const folder: AssetFolder = {
      id: this.nextFolderId++,
      name: input.name,
      description: null,
      folderType: input.folderType ?? this.folders.get(parentId)!.folderType,
      parentId,
      isSystem: false,
      createdAt: at,
      updatedAt: at,
    };
    this.folders.set(folder.id, folder);
    return folder;
  }

  /** Whether a folder or program exists (emails live in either). */
  hasFolder(ref: FolderRef): boolean {
    return ref.type === 'Folder' ? this.folders.has(ref.id) : this.programs.programs.has(ref.id);
  }

  /** The folder's name as browse results carry it (`folder.folderName`). */
  folderName(ref: FolderRef): string {
    if (ref.type === 'Program') return this.programs.programs.get(ref.id)?.name ?? '';
    return this.folders.get(ref.id)?.name ?? '';
  }

  /** `/Design Studio/Default/Emails/…` or `/Marketing Activities/Default/<program>`. */
  pathOf(ref: FolderRef): string {
    if (ref.type === 'Program') return `/Marketing Activities/Default/${this.folderName(ref)}`;
    const names: string[] = [];
    for (let f = this.folders.get(ref.id); f; f = f.parentId ? this.folders.get(f.parentId) : undefined)
      names.unshift(f.name);
    // Below a root zone sits its workspace ("Default"): /Design Studio/Default/Emails.
    return names.length > 1 ? `/${names[0]}/Default/${names.slice(1).join('/')}` : `/${names[0] ?? ''}`;
  }

  createEmail(input: {
    name: string;
    folder: FolderRef;
    version?: 1 | 2;
    description?: string;
    content: Omit<EmailVersion, 'updatedAt'>;
    approved: boolean;
  }): StoredEmail {
    if (!this.hasFolder(input.folder))
      throw new Error(`Folder ${input.folder.type} ${input.folder.id} not found`);
    const at = this.now();
    const version: EmailVersion = {
      ...input.content,
      sections: input.content.sections.map((s) => ({ ...s })),
      updatedAt: at,
    };
    const email: StoredEmail = {
      id: this.nextEmailId++,
      name: input.name,
      description: input.description ?? '',
      folder: { ...input.folder },
      version: input.version ?? 1,
      template: 1,
      operational: false,
      publishToMSI: false,
      abTest: false,
      predictive: false,
      createdAt: at,
      ...(input.approved ? { approved: version } : { draft: version }),
    };
    this.emails.set(email.id, email);
    return email;
  }

  /** A user edits the email: the edit goes to its draft (made from the approved version if none). */
  editDraft(id: number, patch: Partial<Omit<EmailVersion, 'updatedAt'>>): StoredEmail {
    const email = this.get(id);
    const base = email.draft ?? email.approved!;
    email.draft = {
      ...base,
      ...patch,
      sections: (patch.sections ?? base.sections).map((s) => ({ ...s })),
      updatedAt: this.now(),
    };
    return email;
  }

  /** The fields Marketo checks before approving (emails.md "Approve"); empty when it may. */
  missingForApproval(version: EmailVersion): string[] {
    const missing: string[] = [];
    if (!version.fromName) missing.push('from name');
    if (!version.fromEmail) missing.push('from email');
    if (!version.replyEmail) missing.push('reply to email');
    if (!version.subject) missing.push('subject');
    return missing;
  }

  approve(id: number): StoredEmail {
    const email = this.get(id);
    if (email.predictive) throw new EmailRuleError(PREDICTIVE);
    if (!email.draft) throw new EmailRuleError('The email has no draft to approve');
    const missing = this.missingForApproval(email.draft);
    if (missing.length) throw new EmailRuleError(`Cannot approve: ${missing.join(', ')} must be set`);
    email.approved = { ...email.draft, updatedAt: this.now() };
    delete email.draft;
    return email;
  }

  unapprove(id: number): StoredEmail {
    const email = this.get(id);
    if (!email.approved) throw new EmailRuleError('Only an approved email can be unapproved');
    // The approved content becomes the draft, unless an edit was already waiting as one.
    email.draft = email.draft ?? { ...email.approved, updatedAt: this.now() };
    delete email.approved;
    return email;
  }

  discardDraft(id: number): StoredEmail {
    const email = this.get(id);
    if (!email.draft) throw new EmailRuleError('The email has no draft to discard');
    if (!email.approved) throw new EmailRuleError('The email has no approved version to keep');
    delete email.draft;
    return email;
  }

  /** Marketo refuses to delete an approved asset: it is unapproved first (as in its UI). */
  delete(id: number): void {
    const email = this.get(id);
    if (email.approved) throw new EmailRuleError('Cannot delete an approved email; unapprove it first');
    this.emails.delete(id);
  }

  move(id: number, folder: FolderRef): StoredEmail {
    const email = this.get(id);
    if (!this.hasFolder(folder)) throw new Error(`Folder ${folder.type} ${folder.id} not found`);
    email.folder = { ...folder };
    return email;
  }

  get(id: number): StoredEmail {
    const email = this.emails.get(id);
    if (!email) throw new EmailNotFoundError(`Email ${id} not found`);
    return email;
  }
}

/** What Marketo answers (709) for content reads and approval of a Predictive Content email (our wording). */
export const PREDICTIVE = 'Predictive content is not supported for this operation';

/** A request Marketo refuses by its rules for emails (709 "Business Rule Violation"). */
export class EmailRuleError extends Error {}
export class EmailNotFoundError extends Error {}

/** The email's full HTML document, as the 1.0 editor renders its template with the sections. */
export function fullHtml(email: StoredEmail, version: EmailVersion): string {
  const body = version.sections
    .map((s) => `<div class="mktEditable" id="${s.htmlId}">${s.html}</div>`)
    .join('\n');
  return `<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>\n<title>${email.name}</title>\n</head>\n<body>\n${body}\n</body>\n</html>`;
}

/** The email's text version: its sections' text, one paragraph each. */
export function fullText(version: EmailVersion): string {
  return version.sections.map((s) => s.text).join('\n\n');
}
