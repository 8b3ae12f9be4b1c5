// Bundles a bench's page-side module (code evaluated in an extension page or worker) with esbuild.
import { resolve } from 'node:path';
import { build } from 'esbuild';

export async function bundlePage(file: string): Promise<string> {
  const result = await build({
    entryPoints: [resolve(import.meta.dirname, file)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
