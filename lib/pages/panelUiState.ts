import * as z from 'zod/mini';

// The record panel's own UI state (collapsed or open, where it was dragged to), kept in
// storage.local so it is the same on every record page and survives reloads. Parsed with zod/mini
// (the content script's budget is 30 KB gzipped); anything unreadable falls back to the default.

export const PANEL_UI_KEY = 'recordPanelUi';

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

/** The part of storage.local the panel uses (the content script passes browser.storage.local). */
export interface PanelUiStore {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export async function loadPanelUi(store: PanelUiStore): Promise<PanelUiState> {
  try {
    return parsePanelUi((await store.get(PANEL_UI_KEY))[PANEL_UI_KEY]);
  } catch {
    return { ...DEFAULT_PANEL_UI };
  }
}

export const savePanelUi = (store: PanelUiStore, state: PanelUiState) => store.set({ [PANEL_UI_KEY]: state });
