import { useEffect, useState } from 'preact/hooks';
import { ensureHostAccess, type HostPermissionsPort, originPattern } from '../lib/connections/hostAccess';

interface Props {
  access: HostPermissionsPort;
  /** The connected org's instance URL or the Marketo REST endpoint. */
  url: string | undefined;
}

/**
 * Says so when Chrome does not (or no longer) let the extension reach a connected host — the admin
 * removed the site access in chrome://extensions, or declined when connecting — and asks again on a
 * click. Without that access every call of the sync to the host fails.
 */
export function HostAccessNotice({ access, url }: Props) {
  const pattern = url ? originPattern(url) : undefined;
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!pattern) return;
    let live = true;
    access.contains([pattern]).then(
      (granted) => live && setMissing(!granted),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [access, pattern]);
  if (!pattern || !url || !missing) return null;
  const host = new URL(url).host;
  const allow = async () => {
    try {
      await ensureHostAccess(access, [pattern]);
      setMissing(false);
      setError('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div class="warning wide" data-testid="host-access-missing">
      Chrome does not let the extension reach {host}, so the sync cannot run.{' '}
      <button type="button" class="allow-host" onClick={allow}>
        Allow access to {host}
      </button>
      {error && <p class="error">{error}</p>}
    </div>
  );
}
