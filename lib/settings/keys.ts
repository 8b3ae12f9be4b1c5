// The storage.local keys of the settings (WXT's `local:` area prefix), apart from the zod schemas so
// that a page can watch them without bundling zod (the popup: lib/messaging/popupView.ts).
export const STORAGE_KEYS = {
  settings: 'local:settings',
  connections: 'local:connections',
  secrets: 'local:secrets',
} as const;
