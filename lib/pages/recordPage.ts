// Recognises Lightning record pages from a URL. Lightning record URLs look like
// /lightning/r/{ObjectApiName}/{RecordId}/view (console apps add ?ws=… query strings); ids in
// URLs are 15 or 18 characters and we always key records by the 18-character form.

export interface RecordPage {
  objectType: string;
  /** The 15- or 18-character id as it appears in the URL. */
  urlId: string;
}

const RECORD_VIEW = /^\/lightning\/r\/([A-Za-z][A-Za-z0-9_]*)\/([A-Za-z0-9]{15}|[A-Za-z0-9]{18})\/view\/?$/;

export function parseRecordPageUrl(url: string): RecordPage | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const match = RECORD_VIEW.exec(parsed.pathname);
  if (!match) return null;
  return { objectType: match[1]!, urlId: match[2]! };
}
