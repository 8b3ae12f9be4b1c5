import { useRef } from 'preact/hooks';

type Position = { right: number; bottom: number };

/** A press that moves less than this is a click (toggle), not a drag. */
const DRAG_THRESHOLD_PX = 4;

/**
 * Makes the panel's header both its toggle and its drag handle: a click (or Enter/Space) toggles,
 * a press that moves drags the panel. The position is kept as offsets from the viewport's
 * bottom-right corner, so a panel left in the corner stays there when the window is resized.
 */
export function usePanelDrag(position: Position, onMove: (p: Position) => void, onToggle: () => void) {
  const drag = useRef<{ x: number; y: number; from: Position; moved: boolean } | null>(null);
  const justDragged = useRef(false);
  return {
    onPointerDown(event: PointerEvent) {
      if (event.button !== 0) return;
      drag.current = { x: event.clientX, y: event.clientY, from: position, moved: false };
      (event.currentTarget as Element).setPointerCapture?.(event.pointerId);
    },
    onPointerMove(event: PointerEvent) {
      const d = drag.current;
      if (!d) return;
      const dx = event.clientX - d.x;
      const dy = event.clientY - d.y;
      if (!d.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) return;
      d.moved = true;
      onMove({ right: d.from.right - dx, bottom: d.from.bottom - dy });
    },
    onPointerUp() {
      justDragged.current = drag.current?.moved ?? false;
      drag.current = null;
    },
    onPointerCancel() {
      drag.current = null;
    },
    onClick() {
      if (justDragged.current) {
        justDragged.current = false;
        return;
      }
      onToggle();
    },
  };
}
