import { useRef } from 'preact/hooks';

type Position = { right: number; bottom: number };

/** A press that moves less than this is a click (toggle), not a drag. */
const DRAG_THRESHOLD_PX = 4;

/** How far an arrow key moves the panel (Shift: further), for those who cannot drag. */
const KEY_STEP_PX = 20;
const KEY_STEP_SHIFT_PX = 100;
/** Arrow key → how it changes the offsets from the viewport's right and bottom edges. */
const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [1, 0],
  ArrowRight: [-1, 0],
  ArrowUp: [0, 1],
  ArrowDown: [0, -1],
};

/**
 * Makes the panel's header both its toggle and its drag handle: a click (or Enter/Space) toggles,
 * a press that moves drags the panel, and the arrow keys move it (the keyboard's drag). The position is kept as offsets from the viewport's
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
    onKeyDown(event: KeyboardEvent) {
      const arrow = ARROWS[event.key];
      if (!arrow) return;
      // The page would scroll otherwise.
      event.preventDefault();
      const step = event.shiftKey ? KEY_STEP_SHIFT_PX : KEY_STEP_PX;
      onMove({ right: position.right + arrow[0] * step, bottom: position.bottom + arrow[1] * step });
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
