// Reading a Marketo request: body size cap (413 over 1 MB), `_method=GET` POSTs whose query
// string travels in a form body (api-facts B2), JSON bodies (609/612) and comma lists.
import type { IncomingMessage } from 'node:http';
import { MarketoRequestError } from './envelope';

export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_URI_BYTES = 8 * 1024;

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class MarketoRequest {
  /** GET for `POST ?_method=GET`, else the HTTP method. */
  readonly method: string;
  readonly params: URLSearchParams;
  private parsedJson: unknown;
  private jsonDone = false;

  constructor(
    readonly httpMethod: string,
    readonly url: URL,
    readonly contentType: string,
    readonly rawBody: string,
  ) {
    // Marketo documents `_method` in the query string; marketo-rest-python also sends it inside the
    // form body (Get Leads by Filter Type), so both are honoured (api-facts E2.10, E4 item 20).
    const form = httpMethod === 'POST' && contentType.includes('x-www-form-urlencoded');
    const formParams = form ? new URLSearchParams(rawBody) : undefined;
    const override = url.searchParams.get('_method') ?? formParams?.get('_method');
    this.method = httpMethod === 'POST' && override?.toUpperCase() === 'GET' ? 'GET' : httpMethod;
    this.params = new URLSearchParams(url.searchParams);
    if (this.method === 'GET' && formParams) {
      for (const [key, value] of formParams) if (key !== '_method') this.params.append(key, value);
    }
    this.params.delete('_method');
  }

  get path(): string {
    return this.url.pathname;
  }

  param(name: string): string | undefined {
    const value = this.params.get(name);
    return value === null || value === '' ? undefined : value;
  }

  /** A comma-separated parameter as a list (repeated parameters are joined too). */
  list(name: string): string[] {
    return this.params
      .getAll(name)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== '');
  }

  intParam(name: string): number | undefined {
    const raw = this.param(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value))
      throw new MarketoRequestError('1003', `Invalid value for '${name}': ${raw}`);
    return value;
  }

  /** The JSON body of a write call; Marketo wants application/json (612) and valid JSON (609). */
  json(): Record<string, unknown> {
    if (!this.jsonDone) {
      this.jsonDone = true;
      if (this.rawBody.trim() === '') this.parsedJson = {};
      else {
        if (!this.contentType.includes('json')) throw new MarketoRequestError('612');
        try {
          this.parsedJson = JSON.parse(this.rawBody);
        } catch {
          throw new MarketoRequestError('609');
        }
      }
    }
    const value = this.parsedJson;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new MarketoRequestError('609');
    return value as Record<string, unknown>;
  }

  /** The JSON body when one was sent (for `_method=GET` with JSON), else undefined. */
  optionalJson(): Record<string, unknown> | undefined {
    if (!this.contentType.includes('json') || this.rawBody.trim() === '') return undefined;
    return this.json();
  }
}
