import { formatDateTime } from '../lib/format/time';
import type { ProgramPairPanelView } from '../lib/messaging/views';

const DIRECTION_TEXT = {
  both: 'both ways',
  toProgram: 'Salesforce → Marketo',
  toCampaign: 'Marketo → Salesforce',
} as const;

/**
 * A Campaign page's Marketo program (issue 17): which program, whether its first load is done, the
 * members both sides agree on, the last Sync to Program (all pairs) and the last Sync now of this
 * pair (the panel's Sync now button runs this pair's steps alone).
 */
export function CampaignProgramDetails({
  pair,
  timeZone,
}: {
  pair: ProgramPairPanelView;
  timeZone?: string;
}) {
  const last = pair.lastSyncToProgram;
  const now = pair.lastSyncNow;
  return (
    <section class="program-pair" aria-label="Marketo program">
      <dl>
        <dt>Program</dt>
        <dd>
          {pair.programName} · {pair.programId}
        </dd>
        <dt>Members sync</dt>
        <dd>{DIRECTION_TEXT[pair.direction]}</dd>
        <dt>Members in step</dt>
        <dd>
          {pair.loaded ? pair.membersInStep : 'not loaded yet: the next cycle links the program (Init Link)'}
        </dd>
        {now && (
          <>
            <dt>Last Sync now of this pair</dt>
            <dd class="pair-sync-now">
              {formatDateTime(now.at, timeZone)} · {now.status.toLowerCase()} · {now.new} new, {now.updated}{' '}
              updated, {now.deleted} removed, {now.failed} failed, {now.skipped} skipped
              {now.excluded > 0 && `, ${now.excluded} excluded`}
              {now.reason && <span class="reason"> — {now.reason}</span>}
            </dd>
          </>
        )}
        {last && (
          <>
            <dt>Last Sync to Program</dt>
            <dd>
              {formatDateTime(last.at, timeZone)} · {last.status.toLowerCase()} · {last.new} new,{' '}
              {last.updated} updated, {last.deleted} removed, {last.failed} failed (all pairs)
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
