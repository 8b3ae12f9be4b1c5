import type { Page } from 'playwright-core';

/**
 * Writes rows into the extension's real log database from one of its pages, with raw IndexedDB
 * (the page must have opened the database through Dexie first, so the stores exist).
 */
export async function putRows(page: Page, rows: Record<string, unknown[]>): Promise<void> {
  await page.evaluate(async (rowsByStore) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('sync-log');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const stores = Object.keys(rowsByStore);
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(stores, 'readwrite');
      for (const store of stores) for (const row of rowsByStore[store]!) tx.objectStore(store).put(row);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, rows);
}
