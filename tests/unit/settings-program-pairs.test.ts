// Campaign ⇄ program pairs in the settings (issue 17): one program per campaign and one campaign
// per program, status mappings checked against the statuses each side had, field errors naming
// the field, nothing accepted on error.
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../lib/settings';

const PAIR = {
  campaignId: '701000000000001AAA',
  campaignName: 'Spring Webinar 2026',
  programId: 1000,
  programName: 'Spring Webinar 2026',
  campaignStatuses: ['Invited', 'Registered', 'Attended'],
  programStatuses: ['Not in Program', 'Invited', 'Registered', 'Attended', 'Attended On-demand'],
  statusMap: [{ salesforceStatus: 'Attended', marketoStatus: 'Attended On-demand' }],
};

function errorsOf(input: unknown) {
  const parsed = parseSettings(input);
  if (parsed.ok) throw new Error('expected errors');
  return parsed.errors;
}

describe('programPairs', () => {
  it('accepts a pair, defaulting direction to both ways', () => {
    const parsed = parseSettings({ programPairs: [PAIR] });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.value.programPairs).toEqual([{ ...PAIR, direction: 'both' }]);
  });

  it('refuses a program linked to two campaigns and a campaign linked to two programs', () => {
    const second = { ...PAIR, campaignId: '701000000000002AAA' };
    expect(errorsOf({ programPairs: [PAIR, second] })).toEqual([
      {
        path: 'programPairs[1].programId',
        message: 'program 1000 is already linked to campaign 701000000000001AAA',
      },
    ]);
    // The 15- and 18-character forms of one campaign are the same campaign.
    const again = { ...PAIR, campaignId: '701000000000001', programId: 1001 };
    expect(errorsOf({ programPairs: [PAIR, again] })[0]?.path).toBe('programPairs[1].campaignId');
  });

  it('refuses an unknown status on either side, "Not in Program", and a status mapped twice', () => {
    const unknownSf = { ...PAIR, statusMap: [{ salesforceStatus: 'Danced', marketoStatus: 'Attended' }] };
    expect(errorsOf({ programPairs: [unknownSf] })).toEqual([
      {
        path: 'programPairs[0].statusMap[0].salesforceStatus',
        message: 'campaign 701000000000001AAA has no member status "Danced"',
      },
    ]);
    const unknownMk = { ...PAIR, statusMap: [{ salesforceStatus: 'Attended', marketoStatus: 'Joined' }] };
    expect(errorsOf({ programPairs: [unknownMk] })[0]?.path).toBe(
      'programPairs[0].statusMap[0].marketoStatus',
    );
    const step0 = { ...PAIR, statusMap: [{ salesforceStatus: 'Invited', marketoStatus: 'Not in Program' }] };
    expect(errorsOf({ programPairs: [step0] })[0]?.message).toMatch(/not a membership status/);
    const twice = {
      ...PAIR,
      statusMap: [
        { salesforceStatus: 'Attended', marketoStatus: 'Attended' },
        { salesforceStatus: 'Attended', marketoStatus: 'Attended On-demand' },
      ],
    };
    expect(errorsOf({ programPairs: [twice] })[0]?.path).toBe(
      'programPairs[0].statusMap[1].salesforceStatus',
    );
  });

  it('names the field of a malformed pair', () => {
    expect(errorsOf({ programPairs: [{ ...PAIR, campaignId: '001000000000001AAA' }] })[0]).toEqual({
      path: 'programPairs[0].campaignId',
      message: 'not a Campaign id (starts with 701)',
    });
    expect(errorsOf({ programPairs: [{ ...PAIR, programId: 'x' }] })[0]?.path).toBe(
      'programPairs[0].programId',
    );
    expect(errorsOf({ programPairs: [{ ...PAIR, campaignStatuses: [] }] })[0]?.path).toBe(
      'programPairs[0].campaignStatuses',
    );
    expect(errorsOf({ programPairs: [{ ...PAIR, costField: 'Amount' }] })[0]?.path).toBe(
      'programPairs[0].costField',
    );
    expect(parseSettings({ programPairs: [{ ...PAIR, costField: 'ActualCost' }] }).ok).toBe(true);
    expect(errorsOf({ programPairs: [{ ...PAIR, colour: 'red' }] })[0]).toEqual({
      path: 'programPairs[0].colour',
      message: 'unknown setting',
    });
  });
});
