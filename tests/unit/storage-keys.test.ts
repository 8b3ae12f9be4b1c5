import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every storage key of the extension is declared once, in components/storage/, and reached only
// through those declarations: a key read raw somewhere else (`browser.storage.local.get('x')`) is
// a second declaration that drifts from the first (its area, its shape, its parsing).

const ROOT = resolve(import.meta.dirname, '../..');
const DECLARATIONS = 'components/storage/';

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const files = ['entrypoints', 'components', 'lib'].flatMap(sourceFiles);
const RAW_ACCESS = /\b(browser|chrome)\.storage\b|\bstorage\.defineItem\b|from ['"]wxt\/utils\/storage['"]/;

describe('storage keys', () => {
  it('are reached only through components/storage/', () => {
    const raw = files
      .filter((file) => !file.startsWith(DECLARATIONS))
      .flatMap((file) =>
        readFileSync(join(ROOT, file), 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            RAW_ACCESS.test(line) ? [`${relative(ROOT, join(ROOT, file))}:${i + 1}`] : [],
          ),
      );
    expect(raw).toEqual([]);
  });

  it('are each declared once', () => {
    const keys = files
      .filter((file) => file.startsWith(DECLARATIONS))
      .flatMap((file) => [
        ...readFileSync(join(ROOT, file), 'utf8').matchAll(
          /(?:defineItem<[^>]*>\(|^\s+\w+: )'(local|session):(\w+)'|plainItem<[^>]*>\('(local|session)', '(\w+)'/gm,
        ),
      ])
      .map((match) => (match[1] ? `${match[1]}:${match[2]}` : `${match[3]}:${match[4]}`));
    expect(keys).toEqual(
      expect.arrayContaining([
        'local:settings',
        'local:connections',
        'local:secrets',
        'local:connectionTest',
        'session:unwrittenCycleEnds',
        'local:recordPanelUi',
        'session:popupView',
        'session:syncState',
      ]),
    );
    expect(keys.length).toBe(new Set(keys).size);
  });
});
