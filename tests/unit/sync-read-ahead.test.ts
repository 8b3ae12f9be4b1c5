// readAhead (lib/sync/operations/common.ts): the next page is requested while the caller handles
// this one; errors surface where the page is taken; a caller that stops leaves nothing unhandled.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { readAhead } from '../../lib/sync/operations/common';

beforeEach(() => fakeBrowser.reset());

/** Pages 1..n, logging when each is requested; page `failAt` rejects. */
function pages(n: number, log: string[], failAt?: number): AsyncIterable<number> {
  return {
    async *[Symbol.asyncIterator]() {
      for (let i = 1; i <= n; i++) {
        log.push(`request ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (i === failAt) throw new Error(`page ${i} failed`);
        yield i;
      }
    },
  };
}

describe('readAhead', () => {
  it('requests page N+1 before the caller handles page N, and yields every page in order', async () => {
    const log: string[] = [];
    for await (const page of readAhead(pages(3, log), () => log.push('check'))) log.push(`handle ${page}`);
    expect(log).toEqual([
      'check',
      'request 1',
      'check',
      'request 2',
      'handle 1',
      'check',
      'request 3',
      'handle 2',
      'check',
      'handle 3',
    ]);
  });

  it('raises a failed page where the caller takes it, after handling the pages before', async () => {
    const log: string[] = [];
    const handled: number[] = [];
    await expect(async () => {
      for await (const page of readAhead(pages(3, log, 2), () => {})) handled.push(page);
    }).rejects.toThrow('page 2 failed');
    expect(handled).toEqual([1]);
  });

  it('a caller that throws while the next page is in flight leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(async () => {
        for await (const page of readAhead(pages(3, [], 2), () => {})) throw new Error(`handling ${page}`);
      }).rejects.toThrow('handling 1');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('stops before requesting a page when the check throws (e.g. the budget is spent)', async () => {
    const log: string[] = [];
    let checks = 0;
    const check = () => {
      if (++checks === 2) throw new Error('budget spent');
    };
    await expect(async () => {
      for await (const page of readAhead(pages(3, log), check)) log.push(`handle ${page}`);
    }).rejects.toThrow('budget spent');
    expect(log).toEqual(['request 1']);
  });
});
