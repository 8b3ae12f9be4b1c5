// `npm run bench`: runs every benchmark module (tests/bench/*.bench.ts, each exporting
// `run(): Promise<BenchRow[]>`), prints one table and writes the same rows as JSON.
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchRow } from './table';

const dir = resolve(import.meta.dirname);
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const outArg = process.argv.find((a) => a.startsWith('--out='));
const out = outArg ? outArg.slice('--out='.length) : 'bench-results.json';

const modules = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows: BenchRow[] = [];
let crashed = false;
for (const file of modules) {
  process.stderr.write(`bench: ${file}…\n`);
  const started = performance.now();
  try {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { run: () => Promise<BenchRow[]> };
    rows.push(...(await mod.run()));
  } catch (error) {
    crashed = true;
    process.stderr.write(`bench: ${file} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    rows.push({
      group: file,
      figure: 'benchmark ran',
      value: 0,
      unit: '',
      target: 'runs',
      ratio: null,
      pass: false,
    });
  }
  process.stderr.write(`bench: ${file} took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));
const table = rows.map((r) => ({
  group: r.group,
  figure: r.figure,
  value: `${fmt(r.value)} ${r.unit}`.trim(),
  target: r.target,
  ratio: r.ratio == null ? '—' : r.ratio.toFixed(2),
  result: r.pass ? 'pass' : 'FAIL',
}));
const columns = ['group', 'figure', 'value', 'target', 'ratio', 'result'] as const;
const widths = columns.map((c) => Math.max(c.length, ...table.map((r) => r[c].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(line([...columns]));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of table) console.log(line(columns.map((c) => r[c])));

writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), rows }, null, 2)}\n`);
console.log(`\n${rows.filter((r) => r.pass).length} of ${rows.length} targets met; rows written to ${out}`);
process.exitCode = crashed ? 1 : 0;
