// The record panel's own UI state (collapsed or open, where it was dragged to). The background
// keeps it (components/storage/panelUi.ts): content scripts have no access to extension storage
// (docs/security.md). Its schema is in ./panelUiSchema.ts, which the content script does not load.

export interface PanelUiState {
  collapsed: boolean;
  /** Distance of the panel's bottom-right corner from the viewport's, in CSS pixels. */
  right: number;
  bottom: number;
}

export const DEFAULT_PANEL_UI: PanelUiState = { collapsed: false, right: 16, bottom: 16 };

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

/**
 * A User Timing mark the panel sets once per page, when it first shows a record's state. The panel
 * is in a closed shadow root; the mark (no data in it) is how the demo and the bench see it shown.
 */
export const PANEL_SHOWN_MARK = 'sync-status-panel-shown';
