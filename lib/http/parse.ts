import type { z } from 'zod';

/** A body that is not JSON or does not match its schema: names the endpoint and the field. */
export class ResponseShapeError extends Error {
  constructor(
    readonly endpoint: string,
    readonly path: string,
    detail: string,
  ) {
    super(`Unexpected response from ${endpoint}: ${path ? `field "${path}" ` : ''}${detail}`);
    this.name = 'ResponseShapeError';
  }
}

export async function readJson(response: Response, endpoint: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new ResponseShapeError(endpoint, '', `body is not JSON (${text.slice(0, 80)})`);
  }
}

export function parseWith<T extends z.ZodType>(schema: T, body: unknown, endpoint: string): z.output<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ResponseShapeError(endpoint, issue?.path.join('.') ?? '', issue?.message ?? 'does not match');
}
