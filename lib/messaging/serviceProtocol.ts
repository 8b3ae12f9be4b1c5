import { z } from 'zod';
import { stepFilterSchema, stepSortSchema } from '../db/stepFilterSchemas';
import type { StepRecords } from '../db/stepRecords';
import type { DashboardMetricsView, StepsWindowView } from './logViews';
import type { MessageSpec, Returns } from './protocol';
import { saveServiceRequest, testServiceRequest } from './serviceRequests';
import type { ServiceConnectionView, ServiceTestView } from './serviceViews';

// Issue 21's messages (docs/service-mode.md), spread into the protocol table (./protocol.ts). The
// log messages answer from the log the stored connections choose — this browser's or a service's —
// so the pages can read the service's log without its token. Extension pages only.

const none = z.strictObject({});
/** As protocol.ts's (a value import of it would be circular). */
const returns = <T>(): Returns<T> => ({});

export const serviceModeProtocol = {
  /** The step table's window (components/StepsView.tsx) when the page does not read the log itself. */
  getStepsWindow: {
    request: z.strictObject({
      filter: stepFilterSchema,
      sort: stepSortSchema,
      limit: z.number().int().min(1).max(5000),
      grouped: z.boolean(),
    }),
    response: returns<StepsWindowView>(),
    contentScripts: false,
  },
  /** An opened step row's failed, skipped and drifted records. */
  getStepRecords: {
    request: z.strictObject({ stepId: z.number().int().min(1), limit: z.number().int().min(1).max(500) }),
    response: returns<StepRecords>(),
    contentScripts: false,
  },
  /** The dashboard's metric rows since `from` (epoch ms). */
  getDashboardMetrics: {
    request: z.strictObject({ from: z.number().int().min(0) }),
    response: returns<DashboardMetricsView>(),
    contentScripts: false,
  },
  /** Options: "Sync runs in: this browser | a service" (no answer carries the token). */
  getServiceConnection: { request: none, response: returns<ServiceConnectionView>(), contentScripts: false },
  saveServiceConnection: {
    request: saveServiceRequest,
    response: returns<ServiceConnectionView>(),
    contentScripts: false,
  },
  testServiceConnection: {
    request: testServiceRequest,
    response: returns<ServiceTestView>(),
    contentScripts: false,
  },
} as const satisfies Record<string, MessageSpec>;
