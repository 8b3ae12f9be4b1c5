import type { RecordPanelAnswer, RecordStatusView } from '../lib/messaging/views';
import { isPanelNotice } from '../lib/messaging/views';
import type { SyncProgress } from '../lib/pages/recordSync';
import { CampaignProgramDetails } from './CampaignProgramDetails';
import { PersonProgramsDetails } from './PersonProgramsDetails';
import { RecordPanelDetails } from './RecordPanelDetails';
import { usePanelDrag } from './RecordPanelDrag';

/** The badge's words for each state (design §7 "Record panel"). */
export const STATE_LABEL: Record<RecordStatusView['state'], string> = {
  synced: 'Synced',
  pending: 'Pending',
  failed: 'Failed',
  skipped: 'Skipped',
  excluded: 'Excluded',
  drifted: 'Drifted',
  'not-linked': 'Not linked',
  deleted: 'Deleted',
  converted: 'Converted',
  unknown: 'Not synced yet',
};

export interface RecordPanelProps {
  answer?: RecordPanelAnswer;
  error?: string;
  collapsed: boolean;
  position: { right: number; bottom: number };
  onToggle: () => void;
  onMove: (position: { right: number; bottom: number }) => void;
  progress?: SyncProgress;
  onSyncNow: () => void;
}

/**
 * One record's sync flags, fixed in a corner of the page (draggable by its header). Every
 * Salesforce value is rendered as text by Preact (never as HTML), so a field value like
 * `<img onerror=…>` cannot run in the page.
 */
export function RecordPanel(props: RecordPanelProps) {
  const { answer, error, collapsed, position, progress } = props;
  const drag = usePanelDrag(position, props.onMove, props.onToggle);
  const style = { right: `${position.right}px`, bottom: `${position.bottom}px` };
  if (answer && isPanelNotice(answer)) {
    if (answer.notice === 'not-synced') return null;
    // Non-admins learn nothing about the record, only why there is nothing to see.
    return (
      <div class="panel notice" style={style} data-state="admin-required">
        Marketo sync: Admin permissions required
      </div>
    );
  }
  const status = answer;
  const state = status?.state ?? 'unknown';
  const syncing = progress && ['requesting', 'running', 'queued'].includes(progress.phase);
  return (
    <div
      class={collapsed ? 'panel collapsed' : 'panel'}
      style={style}
      data-state={status ? state : 'loading'}
      data-syncing={syncing ? progress?.phase : undefined}
    >
      <button type="button" class="head" aria-expanded={!collapsed} {...drag}>
        <span class="title">Marketo sync</span>
        {status && <span class={`badge ${state}`}>{STATE_LABEL[state]}</span>}
        {syncing && <span class="spinner" role="status" aria-label="Syncing" />}
        <span class="toggle" aria-hidden="true">
          {collapsed ? '▴' : '▾'}
        </span>
      </button>
      {!collapsed && (
        <div class="body">
          {error && <p class="error">{error}</p>}
          {!status && !error && <p class="muted">Loading…</p>}
          {progress && <ProgressLine progress={progress} />}
          {status && <RecordPanelDetails status={status} />}
          {status?.programPair && (
            <CampaignProgramDetails
              pair={status.programPair}
              {...(status.timeZone !== undefined && { timeZone: status.timeZone })}
            />
          )}
          {status?.programs && <PersonProgramsDetails programs={status.programs} />}
          {status && !status.programPair && !['deleted', 'converted'].includes(state) && (
            <button type="button" class="sync-now" disabled={syncing} onClick={props.onSyncNow}>
              {syncing ? 'Syncing…' : 'Sync now'}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

const PROGRESS_TEXT: Record<'requesting' | 'running' | 'queued', string> = {
  requesting: 'Asking the background to sync this record…',
  running: 'Syncing this record now…',
  queued: 'Queued: another sync cycle is running; this record is synced right after it.',
};

function ProgressLine({ progress }: { progress: SyncProgress }) {
  if (progress.phase === 'refused') return <p class="refusal">Sync now refused: {progress.message}</p>;
  if (progress.phase === 'error') return <p class="error">Sync now failed: {progress.message}</p>;
  if (progress.phase === 'done') return <p class="done">Sync finished; the state below is the new one.</p>;
  return <p class="progress">{PROGRESS_TEXT[progress.phase]}</p>;
}
