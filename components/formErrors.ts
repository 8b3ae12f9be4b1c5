import type { FieldIssue } from '../lib/settings/issues';

/** Field errors of a refused request (MessageError.issues), or one general error without a field. */
export interface FormErrors {
  fields: FieldIssue[];
  general?: string;
}

export const NO_ERRORS: FormErrors = { fields: [] };

export function formErrors(error: unknown): FormErrors {
  const issues = (error as { issues?: FieldIssue[] })?.issues ?? [];
  if (issues.length > 0) return { fields: issues };
  return { fields: [], general: error instanceof Error ? error.message : String(error) };
}

export const errorAt = (errors: FormErrors, path: string) =>
  errors.fields.find((e) => e.path === path)?.message;
