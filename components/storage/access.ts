// storage.local holds the Marketo client secret, the OAuth tokens and the settings; by default
// Chrome lets content scripts read and write it too, so code running in a Salesforce page's
// content-script world could take the secret or point the sync at another Marketo. Restricting the
// area to the extension's own pages and this worker closes that (docs/security.md): content scripts
// go through the protocol only. storage.session is restricted by default; set it explicitly anyway.
// Called first at every worker start: Chrome runs this worker's storage calls in the order they are
// made, so nothing is stored before the restriction (it also persists in the browser's profile).
export function setupStorageAccess(): void {
  for (const area of [browser.storage.local, browser.storage.session]) {
    void area
      .setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' })
      .catch((error: unknown) => console.error('Could not restrict extension storage:', error));
  }
}
