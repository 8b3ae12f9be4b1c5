/**
 * Says `text` through the page's one live region (`#announcer`, role="status", in each page's
 * HTML). The region is there from load because screen readers only follow live regions that
 * existed before their text changed; one per page, so that two answers never talk over each other.
 */
export function announce(text: string): void {
  const region = document.getElementById('announcer');
  if (!region) return;
  // Cleared first and set a moment later: the same words twice ("Paused", "Paused") are spoken twice.
  region.textContent = '';
  setTimeout(() => {
    region.textContent = text;
  }, 60);
}
