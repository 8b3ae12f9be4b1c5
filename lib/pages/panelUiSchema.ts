import { z } from 'zod';
import { DEFAULT_PANEL_UI, type PanelUiState } from './panelUiState';

// The record panel's UI state as the background accepts it from the content script (savePanelUi)
// and reads it back from storage.

const offset = z.number().min(0).max(100_000);

export const panelUiSchema = z.strictObject({ collapsed: z.boolean(), right: offset, bottom: offset });

/** The stored state; anything unreadable (an older shape, junk) is the default. */
export function parsePanelUi(stored: unknown): PanelUiState {
  const parsed = panelUiSchema.safeParse(stored);
  return parsed.success ? parsed.data : { ...DEFAULT_PANEL_UI };
}
