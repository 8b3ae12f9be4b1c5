import type { StepFilter, StepSort } from '../db/stepFilter';

// Both ends of the channel the sync-errors CSV travels on (see ./syncErrorsExport for why the worker
// builds it). This file imports nothing at run time: the popup bundles it, and it must not pull in
// PapaParse or zod.

/** Channel names are made by the asking page: this prefix and a random UUID. */
export const EXPORT_CHANNEL_PREFIX = 'sync-errors-export:';
export const EXPORT_CHANNEL_PATTERN = /^sync-errors-export:[0-9a-f-]{36}$/;

/** What the worker posts on the channel: progress, then exactly one `done` or `failed`. */
export type ExportChannelMessage =
  | { kind: 'progress'; rows: number }
  | { kind: 'done'; rows: number; fileName: string; blob: Blob | null }
  | { kind: 'failed'; message: string };

export interface ExportChannel {
  post(message: ExportChannelMessage): void;
  close(): void;
}

/** Opens a channel by name; BroadcastChannel in the extension (and in Node, for the tests). */
export type OpenExportChannel = (name: string) => ExportChannel;

export const broadcastExportChannel: OpenExportChannel = (name) => {
  const channel = new BroadcastChannel(name);
  return { post: (message) => channel.postMessage(message), close: () => channel.close() };
};

/** Only our worker posts on these channels; still, a message is checked before it is used. */
export function isExportChannelMessage(value: unknown): value is ExportChannelMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.kind === 'progress') return typeof m.rows === 'number';
  if (m.kind === 'failed') return typeof m.message === 'string';
  return (
    m.kind === 'done' &&
    typeof m.rows === 'number' &&
    typeof m.fileName === 'string' &&
    (m.blob === null || m.blob instanceof Blob)
  );
}

export interface ExportedCsv {
  rows: number;
  fileName: string;
  /** null when no sync error matches the filter. */
  blob: Blob | null;
}

/** Sends the export request; the caller's `sendMessage` to the background. */
export type SendExportRequest = (request: {
  channel: string;
  filter: StepFilter;
  sort: StepSort;
}) => Promise<{ rows: number }>;

const FILE_GRACE_MS = 10_000;

/**
 * Asks the background for the CSV of the sync errors matching the filter, and waits for it on a
 * channel of its own. Rejects with the worker's reason when the export fails, or when the message
 * fails (e.g. the worker stopped mid-export: its answer port closes).
 */
export function requestSyncErrorsCsv(
  send: SendExportRequest,
  filter: StepFilter,
  sort: StepSort,
  onRows?: (rows: number) => void,
): Promise<ExportedCsv> {
  const name = `${EXPORT_CHANNEL_PREFIX}${crypto.randomUUID()}`;
  const channel = new BroadcastChannel(name);
  let grace: ReturnType<typeof setTimeout> | undefined;
  return new Promise<ExportedCsv>((resolve, reject) => {
    channel.onmessage = (event: MessageEvent<unknown>) => {
      const message = event.data;
      if (!isExportChannelMessage(message)) return reject(new Error('Malformed message from the background'));
      if (message.kind === 'progress') onRows?.(message.rows);
      else if (message.kind === 'failed') reject(new Error(message.message));
      else resolve({ rows: message.rows, fileName: message.fileName, blob: message.blob });
    };
    // Subscribed before sending: the worker may post everything before its answer arrives. Its
    // answer comes after its last post; a file that has not come soon after was lost on the way.
    send({ channel: name, filter, sort }).then(() => {
      grace = setTimeout(
        () => reject(new Error('The export finished but its file did not arrive')),
        FILE_GRACE_MS,
      );
    }, reject);
  }).finally(() => {
    clearTimeout(grace);
    channel.close();
  });
}
