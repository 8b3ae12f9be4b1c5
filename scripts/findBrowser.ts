// Which Chromium the demo, the browser tests and CI launch, and what to do when there is none
// (README "Browser"). Pure: the caller passes in what it knows of the machine, so the decision
// table is unit-tested (tests/unit/find-browser.test.ts). Google Chrome 137+ ignores
// --load-extension, so only Chromium builds are looked for by name; CHROME_PATH may still point
// at any build the user trusts to load an unpacked extension.

export interface MachineFacts {
  /** CHROME_PATH from the environment, if set. */
  chromePath: string | undefined;
  /** The executable a name resolves to on PATH, or undefined. */
  which: (name: string) => string | undefined;
  isExecutable: (path: string) => boolean;
  isRoot: boolean;
  /** /etc/os-release's ID and ID_LIKE words (e.g. ['debian'], ['ubuntu', 'debian']). */
  osIds: readonly string[];
  hasAptGet: boolean;
}

export type BrowserDecision =
  | { kind: 'use'; path: string; source: 'CHROME_PATH' | 'PATH' }
  | { kind: 'install'; command: string[]; path: string }
  | { kind: 'stop'; message: string };

export const BROWSER_NAMES = ['chromium', 'chromium-browser'] as const;
/** Debian's package (the fonts keep screenshots readable on a bare machine). */
export const APT_PACKAGES = ['chromium', 'fonts-dejavu-core'] as const;

export function decideBrowser(machine: MachineFacts): BrowserDecision {
  if (machine.chromePath) {
    if (machine.isExecutable(machine.chromePath)) {
      return { kind: 'use', path: machine.chromePath, source: 'CHROME_PATH' };
    }
    // A wrong CHROME_PATH is the user's explicit choice: say so rather than pick another browser.
    return {
      kind: 'stop',
      message: `CHROME_PATH is ${machine.chromePath}, which is not an executable file. Point it at a Chromium build, or unset it.`,
    };
  }
  for (const name of BROWSER_NAMES) {
    const path = machine.which(name);
    if (path) return { kind: 'use', path, source: 'PATH' };
  }
  const debianLike = machine.osIds.some((id) => id === 'debian' || id === 'ubuntu');
  if (debianLike && machine.isRoot && machine.hasAptGet) {
    return {
      kind: 'install',
      command: ['apt-get', 'install', '-y', ...APT_PACKAGES],
      path: '/usr/bin/chromium',
    };
  }
  const how = debianLike
    ? `sudo apt-get update && sudo apt-get install -y ${APT_PACKAGES.join(' ')}`
    : 'install Chromium with your system package manager (e.g. "brew install --cask chromium" on macOS, "sudo dnf install chromium" on Fedora)';
  return {
    kind: 'stop',
    message: `No Chromium found (looked at CHROME_PATH, then ${BROWSER_NAMES.join(', ')} on PATH). To install it: ${how}; or set CHROME_PATH to a Chromium executable. Google Chrome 137 and later ignore --load-extension and cannot be used.`,
  };
}
