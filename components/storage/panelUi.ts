import { DEFAULT_PANEL_UI, type PanelUiState, parsePanelUi } from '../../lib/pages/panelUiState';
import { plainItem, readItem, writeItem } from './plainItem';

// The record panel's own UI state (collapsed or open, where it was dragged to), in storage.local so
// it is the same on every record page and survives reloads. The only key the content script
// touches: it reads no settings (components/storage/settings.ts says why).

const panelUiItem = plainItem<PanelUiState>('local', 'recordPanelUi');

/** The stored UI state, zod-parsed (lib/pages/panelUiState.ts); anything unreadable is the default. */
export async function loadPanelUi(): Promise<PanelUiState> {
  try {
    return parsePanelUi(await readItem(panelUiItem));
  } catch {
    return { ...DEFAULT_PANEL_UI };
  }
}

export const savePanelUi = (state: PanelUiState) => writeItem(panelUiItem, state);
