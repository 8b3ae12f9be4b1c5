import type { z } from 'zod';

/** One problem with an input, naming the field it is about (e.g. `objects.Lead.fields[2].direction`). */
export interface FieldIssue {
  path: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldIssue[] };

/** `['objects', 'Lead', 'fields', 2]` → `objects.Lead.fields[2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/**
 * Turns zod issues into one issue per field. zod reports unknown keys once on the parent object and
 * a bad record key as a wrapper around the key's own issue; both are unfolded so the path always
 * ends at the offending field.
 */
export function fieldIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ path: formatPath([...path, key]), message: 'unknown setting' });
    } else if (issue.code === 'invalid_key') {
      out.push({ path: formatPath(path), message: issue.issues[0]?.message ?? issue.message });
    } else {
      out.push({ path: formatPath(path), message: issue.message });
    }
  }
  return out;
}

/** `intervalMinutes: Too small: expected number to be >=1; paused: …` */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}

export function parseWithIssues<T extends z.ZodType>(schema: T, input: unknown): Parsed<z.output<T>> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: fieldIssues(result.error) };
}
