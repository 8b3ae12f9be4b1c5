/**
 * Saves a Blob as a file from an extension page: an `<a download>` click on a Blob URL, the way a
 * Chromium extension page gets an exact file name (browser-facts: chrome.downloads names a blob by
 * its GUID). The popup's ExportButton keeps its own copy so that no chunk of the popup's ≤ 50 KB
 * bundle changes for the dashboard.
 */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its own reference by now; revoke later so a slow start still finds it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
