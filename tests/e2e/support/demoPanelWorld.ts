// The record-panel browser tests on the demo org: the emulator with the `demo` seed, the built
// extension connected to it, its settings imported from scripts/demo-settings.json, a Salesforce
// tab with the panel's shadow root reachable, and the popup open to run cycles from.
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type Emulator, startEmulator } from '../../../emulator/index';
import { type LoadedExtension, launchWithExtension } from '../../../scripts/browser';
import { connectToEmulator, loginToSalesforce } from '../../../scripts/emulatorSession';
import { registerPanelSelector, revealPanel } from './closedPanel';

export interface DemoPanelWorld {
  emu: Emulator;
  ext: LoadedExtension;
  sfTab: Page;
  popup: Page;
}

export async function startDemoPanelWorld(): Promise<DemoPanelWorld> {
  const emu = await startEmulator({ seed: 'demo' });
  await registerPanelSelector();
  const ext = await launchWithExtension();
  const sfTab = await loginToSalesforce(ext, emu.info);
  await revealPanel(sfTab);
  await connectToEmulator(ext, emu.info);
  const options = await ext.openPage('options.html');
  await options.setInputFiles(
    '#importSettings',
    resolve(import.meta.dirname, '../../../scripts/demo-settings.json'),
  );
  await options.locator('#transfer .save-message', { hasText: 'Imported demo-settings.json' }).waitFor();
  await options.close();
  const popup = await ext.openPage('popup.html');
  return { emu, ext, sfTab, popup };
}

export async function stopDemoPanelWorld(world: Partial<DemoPanelWorld>): Promise<void> {
  await world.ext?.close();
  await world.emu?.stop();
}

/** The record panel on the tab. */
export const panelOn = (sfTab: Page) => sfTab.locator('syncpanel=.panel');

/** Opens a record's page and waits for its panel to show `state`; the panel's text. */
export async function openPanelRecord(
  world: Pick<DemoPanelWorld, 'emu' | 'sfTab'>,
  objectType: string,
  id: string,
  state: RegExp = /synced|failed/,
): Promise<string> {
  await world.sfTab.goto(`${world.emu.info.salesforce.url}/lightning/r/${objectType}/${id}/view`);
  const panel = panelOn(world.sfTab);
  await expect.poll(() => panel.getAttribute('data-state'), { timeout: 15_000 }).toMatch(state);
  return (await panel.textContent()) ?? '';
}
