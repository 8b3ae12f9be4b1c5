// Small HTTP helpers shared by both sides and the control API.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A handler's answer; the server writes it (composite subrequests read it in-process). */
export interface HttpReply {
  status: number;
  body?: unknown;
  /** Raw text body (HTML pages, malformed-JSON faults); wins over `body`. */
  text?: string;
  headers?: Record<string, string>;
}

export async function readBody(req: IncomingMessage, maxBytes = 50 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new Error('Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function writeReply(res: ServerResponse, reply: HttpReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | undefined;
  if (reply.text !== undefined) {
    payload = reply.text;
    headers['Content-Type'] ??= 'text/html; charset=utf-8';
  } else if (reply.body !== undefined && reply.status !== 204 && reply.status !== 304) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] ??= 'application/json;charset=UTF-8';
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

export function json(status: number, body: unknown, headers?: Record<string, string>): HttpReply {
  return { status, body, headers };
}

export function html(status: number, text: string, headers?: Record<string, string>): HttpReply {
  return { status, text, headers };
}

export function redirect(location: string, headers: Record<string, string> = {}): HttpReply {
  return { status: 302, headers: { ...headers, Location: location }, text: '' };
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
