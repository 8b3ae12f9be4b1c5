// GET/POST /identity/oauth/token (api-facts B1). Credentials come in the query string or a form
// body. Errors follow the OAuth style Marketo's identity service uses (HTTP 401/400, not 200).
import type { ServerResponse } from 'node:http';
import { JSON_CONTENT_TYPE } from './envelope';
import type { IdentityService } from './identity';

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
  });
  res.end(text);
}

export function handleTokenRequest(
  identity: IdentityService,
  method: string,
  url: URL,
  formBody: string,
  res: ServerResponse,
): void {
  if (method !== 'GET' && method !== 'POST') {
    send(res, 405, {
      error: 'method_not_allowed',
      error_description: `Request method '${method}' not supported`,
    });
    return;
  }
  const params = new URLSearchParams(url.searchParams);
  for (const [key, value] of new URLSearchParams(formBody)) params.append(key, value);
  const grantType = params.get('grant_type');
  if (!grantType) {
    send(res, 400, { error: 'invalid_request', error_description: 'Missing grant type' });
    return;
  }
  if (grantType !== 'client_credentials') {
    send(res, 400, {
      error: 'unsupported_grant_type',
      error_description: `Unsupported grant type: ${grantType}`,
    });
    return;
  }
  const clientId = params.get('client_id');
  if (!identity.credentialsValid(clientId, params.get('client_secret'))) {
    send(res, 401, { error: 'invalid_client', error_description: 'Bad client credentials' });
    return;
  }
  send(res, 200, identity.issue(clientId!));
}
