import * as z from 'zod/mini';

// The record panel's own UI state (collapsed or open, where it was dragged to); the content script
// keeps it in storage.local (components/storage/panelUi.ts). Parsed with zod/mini (the content
// script's budget is 30 KB gzipped); anything unreadable falls back to the default.

export interface PanelUiState {
  collapsed: boolean;
  /** Distance of the panel's bottom-right corner from the viewport's, in CSS pixels. */
  right: number;
  bottom: number;
}

export const DEFAULT_PANEL_UI: PanelUiState = { collapsed: false, right: 16, bottom: 16 };

const offset = z.number().check(z.minimum(0), z.maximum(100_000));
const panelUiSchema = z.object({ collapsed: z.boolean(), right: offset, bottom: offset });

export function parsePanelUi(stored: unknown): PanelUiState {
  const parsed = panelUiSchema.safeParse(stored);
  return parsed.success ? parsed.data : { ...DEFAULT_PANEL_UI };
}

/** Keeps at least the panel's header on screen after the window shrank or a drag went too far. */
export function clampPosition(
  state: PanelUiState,
  viewport: { width: number; height: number },
  header = { width: 160, height: 32 },
): PanelUiState {
  const maxRight = Math.max(0, viewport.width - header.width);
  const maxBottom = Math.max(0, viewport.height - header.height);
  return {
    ...state,
    right: Math.round(Math.min(Math.max(0, state.right), maxRight)),
    bottom: Math.round(Math.min(Math.max(0, state.bottom), maxBottom)),
  };
}
