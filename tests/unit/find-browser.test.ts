// The browser-finding decision table (scripts/findBrowser.ts): which Chromium the demo, the tests
// and CI use, when it is installed, and what a user is told when it cannot be.
import { describe, expect, it } from 'vitest';
import { decideBrowser, type MachineFacts } from '../../scripts/findBrowser';

const bare: MachineFacts = {
  chromePath: undefined,
  which: () => undefined,
  isExecutable: () => false,
  isRoot: true,
  osIds: ['debian'],
  hasAptGet: true,
};
const onPath =
  (found: Record<string, string>) =>
  (name: string): string | undefined =>
    found[name];

describe('decideBrowser', () => {
  it.each([
    {
      name: 'CHROME_PATH wins when executable',
      machine: {
        ...bare,
        chromePath: '/opt/c/chrome',
        isExecutable: (p: string) => p === '/opt/c/chrome',
        which: onPath({ chromium: '/usr/bin/chromium' }),
      },
      expected: { kind: 'use', path: '/opt/c/chrome', source: 'CHROME_PATH' },
    },
    {
      name: 'chromium on PATH',
      machine: {
        ...bare,
        which: onPath({ chromium: '/usr/bin/chromium', 'chromium-browser': '/snap/bin/chromium-browser' }),
      },
      expected: { kind: 'use', path: '/usr/bin/chromium', source: 'PATH' },
    },
    {
      name: 'chromium-browser when chromium is missing',
      machine: { ...bare, which: onPath({ 'chromium-browser': '/usr/bin/chromium-browser' }) },
      expected: { kind: 'use', path: '/usr/bin/chromium-browser', source: 'PATH' },
    },
    {
      name: 'Debian as root with apt-get: install',
      machine: bare,
      expected: {
        kind: 'install',
        command: ['apt-get', 'install', '-y', 'chromium', 'fonts-dejavu-core'],
        path: '/usr/bin/chromium',
      },
    },
    {
      name: 'Ubuntu (ID_LIKE debian) as root: install',
      machine: { ...bare, osIds: ['ubuntu', 'debian'] },
      expected: { kind: 'install' },
    },
  ])('$name', ({ machine, expected }) => {
    expect(decideBrowser(machine)).toMatchObject(expected);
  });

  it('a CHROME_PATH that is not executable stops, naming it, instead of picking another browser', () => {
    const decision = decideBrowser({
      ...bare,
      chromePath: '/nope/chrome',
      which: onPath({ chromium: '/usr/bin/chromium' }),
    });
    expect(decision.kind).toBe('stop');
    expect(decision.kind === 'stop' && decision.message).toContain('CHROME_PATH is /nope/chrome');
  });

  it('Debian without root: stops with the sudo apt-get command', () => {
    const decision = decideBrowser({ ...bare, isRoot: false });
    expect(decision.kind).toBe('stop');
    expect(decision.kind === 'stop' && decision.message).toContain(
      'sudo apt-get update && sudo apt-get install -y chromium fonts-dejavu-core',
    );
  });

  it('another system: stops with how to install and the Chrome 137 warning', () => {
    const decision = decideBrowser({ ...bare, osIds: ['fedora'], hasAptGet: false });
    expect(decision.kind).toBe('stop');
    const message = decision.kind === 'stop' ? decision.message : '';
    expect(message).toContain('dnf install chromium');
    expect(message).toContain('Google Chrome 137 and later ignore --load-extension');
  });

  it('Debian as root but without apt-get: stops', () => {
    expect(decideBrowser({ ...bare, hasAptGet: false }).kind).toBe('stop');
  });
});
