import type { ServiceSource } from '../messaging/logViews';
import type { PopupView } from '../messaging/views';
import type { ConnectionSettings } from '../settings/connection';
import { runsInService } from '../settings/serviceConnection';
import type { ServiceState } from './client';

/**
 * The popup's and dashboard's view in service mode (issue 21): the service's org is what they show,
 * so its person label, instance URL (record links) and connection labels are the service's, from
 * its last state answer (the status API's `view`, built by the same readPopupView). Until the
 * service has answered, only the person label of this browser's settings stands in. Whoever holds
 * the org's token is its admin (lib/service/statusViews.ts), so the browser's Salesforce user does
 * not decide what is shown.
 */
export function servicePopupView(
  base: PopupView,
  connections: ConnectionSettings,
  last: { state: ServiceState; service: ServiceSource } | undefined,
): PopupView {
  if (!runsInService(connections)) return base;
  const service = { url: connections.service.url, orgId: connections.service.orgId };
  const fresh =
    last?.service.url === service.url && last.service.orgId === service.orgId ? last.state : undefined;
  if (!fresh) return { personLabel: base.personLabel, service };
  return { ...fresh.view, service: { ...service, orgName: fresh.org.name } };
}
