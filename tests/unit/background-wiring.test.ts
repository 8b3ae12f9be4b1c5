import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The background entrypoint only wires: one setupX() module per feature (entrypoints/background/),
// so what a feature does is found in its module and what it decides is found in lib/.

const index = readFileSync(resolve(import.meta.dirname, '../../entrypoints/background/index.ts'), 'utf8');

describe('the background entrypoint', () => {
  it('only calls setupX() modules', () => {
    const body = index.slice(index.indexOf('defineBackground(() => {') + 'defineBackground(() => {'.length);
    const statements = body
      .slice(0, body.lastIndexOf('});'))
      .split(';')
      .map((statement) => statement.trim())
      .filter(Boolean);
    expect(statements.length).toBeGreaterThan(0);
    const notSetup = statements.filter((s) => !/^(const \w+ = )?setup[A-Z]\w*\([\w., ]*\)$/.test(s));
    expect(notSetup).toEqual([]);
  });
});
