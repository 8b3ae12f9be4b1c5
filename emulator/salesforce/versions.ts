// GET /services/data/ — the version list (not counted against the allowance, no limit header).

const SEASONS = ['Winter', 'Spring', 'Summer'];

/** v20.0 was Winter '11; three releases a year since. v62.0 → Winter '25. */
export function releaseLabel(version: number): string {
  const idx = version - 20;
  return `${SEASONS[idx % 3]} '${String(11 + Math.floor(idx / 3)).padStart(2, '0')}`;
}

export function versionList(min: number, max: number) {
  const out = [];
  for (let v = min; v <= max; v++)
    out.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  return out;
}

export function resourceList(version: string) {
  const base = `/services/data/v${version}`;
  const names = [
    'sobjects',
    'query',
    'queryAll',
    'limits',
    'composite',
    'search',
    'recent',
    'tooling',
    'ui-api',
  ];
  return Object.fromEntries(names.map((n) => [n, `${base}/${n}`]));
}
