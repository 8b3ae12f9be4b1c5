// The org's rolling 24-hour API allowance (api-facts A3, A9): every counted REST call adds one;
// when the allowance is spent, calls get 403 REQUEST_LIMIT_EXCEEDED. Counts are kept per
// minute so moving the clock forward a day frees the allowance, like the real rolling window.
import type { Clock } from '../clock';

const MINUTE = 60_000;
const WINDOW_MINUTES = 24 * 60;

export class ApiUsage {
  private readonly buckets = new Map<number, number>();
  /** Calls added by the control API ("someone else used 4,000 calls today"). */
  private extra = 0;

  constructor(
    private readonly clock: Clock,
    public max: number,
  ) {}

  used(): number {
    const oldest = Math.floor(this.clock.now() / MINUTE) - WINDOW_MINUTES;
    let sum = this.extra;
    for (const [minute, n] of this.buckets) {
      if (minute <= oldest) this.buckets.delete(minute);
      else sum += n;
    }
    return sum;
  }

  remaining(): number {
    return Math.max(0, this.max - this.used());
  }

  /** Counts one call, or returns false when the allowance is already spent. */
  tryConsume(): boolean {
    if (this.used() >= this.max) return false;
    const minute = Math.floor(this.clock.now() / MINUTE);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + 1);
    return true;
  }

  /** Sets the used count to `n` now (the window then ages normally). */
  setUsed(n: number): void {
    this.buckets.clear();
    this.extra = n;
  }

  reset(): void {
    this.buckets.clear();
    this.extra = 0;
  }

  header(): string {
    return `api-usage=${this.used()}/${this.max}`;
  }

  /** The `/limits` resource. Only DailyApiRequests moves; the rest are plausible constants. */
  limitsBody(): Record<string, { Max: number; Remaining: number }> {
    const fixed = (max: number) => ({ Max: max, Remaining: max });
    return {
      ConcurrentAsyncGetReportInstances: fixed(200),
      ConcurrentSyncReportRuns: fixed(20),
      DailyApiRequests: { Max: this.max, Remaining: this.remaining() },
      DailyAsyncApexExecutions: fixed(250000),
      DailyBulkApiBatches: fixed(15000),
      DailyBulkV2QueryFileStorageMB: fixed(976562),
      DailyBulkV2QueryJobs: fixed(10000),
      DailyGenericStreamingApiEvents: fixed(10000),
      DailyStreamingApiEvents: fixed(10000),
      DailyWorkflowEmails: fixed(2000),
      DataStorageMB: fixed(1024),
      FileStorageMB: fixed(1024),
      HourlyODataCallout: fixed(10000),
      HourlyTimeBasedWorkflow: fixed(1000),
      MassEmail: fixed(10),
      SingleEmail: fixed(15),
    };
  }
}
