// Renders scripts/icon.svg to the PNG sizes Chrome asks for (16, 32, 48, 128), which WXT puts
// in the manifest from public/icon/<size>.png. Run after editing the SVG: `npx tsx scripts/render-icons.ts`.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { chromePath } from './browser';

const dir = resolve(import.meta.dirname, '../public/icon');
const svg = readFileSync(resolve(import.meta.dirname, 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: chromePath(),
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const size of [16, 32, 48, 128]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
    );
    await page.screenshot({ path: resolve(dir, `${size}.png`), omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
