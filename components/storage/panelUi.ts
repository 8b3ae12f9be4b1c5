import { storage } from 'wxt/utils/storage';
import { parsePanelUi } from '../../lib/pages/panelUiSchema';
import type { PanelUiState } from '../../lib/pages/panelUiState';

// The record panel's own UI state (collapsed or open, where it was dragged to), in storage.local so
// it is the same on every record page and survives reloads. Only the background reads and writes it:
// storage.local is closed to content scripts (components/storage/access.ts), so the
// panel asks for it and saves it through the protocol (getPanelUi, savePanelUi).

const panelUiItem = storage.defineItem<unknown>('local:recordPanelUi');

/** The stored UI state, zod-parsed (lib/pages/panelUiSchema.ts); anything unreadable is the default. */
export async function loadPanelUi(): Promise<PanelUiState> {
  return parsePanelUi(await panelUiItem.getValue().catch(() => undefined));
}

export const savePanelUi = (state: PanelUiState) => panelUiItem.setValue(state);
