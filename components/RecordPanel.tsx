import type { RecordPanelAnswer, RecordStatusView } from '../lib/messaging/views';
import { isPanelNotice } from '../lib/messaging/views';
import type { SyncProgress } from '../lib/pages/recordSync';
import { ActivityRecordDetails, SentActivitiesDetails } from './ActivityDetails';
import { CampaignProgramDetails } from './CampaignProgramDetails';
import { EmailTemplateDetails } from './EmailTemplateDetails';
import { PersonProgramsDetails } from './PersonProgramsDetails';
import { RecordPanelDetails } from './RecordPanelDetails';
import { usePanelDrag } from './RecordPanelDrag';
import { canReplay, RecordPanelReplay, type ReplayProgress } from './RecordPanelReplay';
import { ContactRolesDetails, CycleOnlyDetails } from './SalesObjectDetails';

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
  /** Replay as the sync user: where it is, and how to start it. */
  replay?: ReplayProgress;
  onReplay?: () => void;
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
      <section class="panel notice" style={style} data-state="admin-required" aria-label="Marketo sync">
        Marketo sync: Admin permissions required
      </section>
    );
  }
  const status = answer;
  const state = status?.state ?? 'unknown';
  const syncing = progress && ['requesting', 'running', 'queued'].includes(progress.phase);
  // A campaign in a pair syncs as its pair: its members with the program's.
  const subject: SyncSubject = status?.programPair ? 'pair' : 'record';
  // A labelled region with a heading (screen readers list both), whose header button collapses it.
  return (
    <section
      class={collapsed ? 'panel collapsed' : 'panel'}
      style={style}
      aria-labelledby="panel-title"
      data-state={status ? state : 'loading'}
      data-syncing={syncing ? progress?.phase : undefined}
    >
      <h2 class="heading">
        <button
          type="button"
          class="head"
          aria-expanded={!collapsed}
          aria-keyshortcuts="ArrowUp ArrowDown ArrowLeft ArrowRight"
          title="Collapse or expand; drag it or use the arrow keys to move it"
          {...drag}
        >
          <span class="title" id="panel-title">
            Marketo sync
          </span>
          {status && <span class={`badge ${state}`}>{STATE_LABEL[state]}</span>}
          {syncing && <span class="spinner" aria-hidden="true" />}
          <span class="toggle" aria-hidden="true">
            {collapsed ? '▴' : '▾'}
          </span>
        </button>
      </h2>
      {/* The panel's live region, there from the panel's first render (also while collapsed). */}
      <p class="visually-hidden" role="status">
        {progress ? progressText(progress, subject) : ''}
      </p>
      {!collapsed && (
        <div class="body">
          {error && <p class="error">{error}</p>}
          {!status && !error && <p class="muted">Loading…</p>}
          {progress && <ProgressLine progress={progress} subject={subject} />}
          {/* A template made from a Marketo email: its source comes first (issue 20). */}
          {status?.emailTemplate && (
            <EmailTemplateDetails email={status.emailTemplate} timeZone={status.timeZone} />
          )}
          {status && <RecordPanelDetails status={status} />}
          {status?.programPair && (
            <CampaignProgramDetails
              pair={status.programPair}
              {...(status.timeZone !== undefined && { timeZone: status.timeZone })}
            />
          )}
          {status?.programs && <PersonProgramsDetails programs={status.programs} />}
          {status?.opportunityRoles && <ContactRolesDetails roles={status.opportunityRoles} />}
          {status?.sentActivities && (
            <SentActivitiesDetails
              activities={status.sentActivities}
              {...(status.timeZone !== undefined && { timeZone: status.timeZone })}
            />
          )}
          {status?.activity ? (
            <ActivityRecordDetails activity={status.activity} objectType={status.objectType} />
          ) : (
            status?.cycleOnly && !status.emailTemplate && <CycleOnlyDetails status={status} />
          )}
          {status &&
            props.onReplay &&
            (props.replay || (state === 'failed' && canReplay(status.owedFields))) && (
              <RecordPanelReplay progress={props.replay} onReplay={props.onReplay} />
            )}
          {status && !status.cycleOnly && !['deleted', 'converted'].includes(state) && (
            // aria-disabled while it syncs: focus stays on the button the admin pressed.
            <button
              type="button"
              class="sync-now"
              aria-disabled={syncing}
              title={status.programPair ? 'Sync this campaign’s members with its program now' : undefined}
              onClick={() => !syncing && props.onSyncNow()}
            >
              {syncing ? 'Syncing…' : 'Sync now'}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

type SyncSubject = 'record' | 'pair';

const PROGRESS_TEXT: Record<SyncSubject, Record<'requesting' | 'running' | 'queued', string>> = {
  record: {
    requesting: 'Asking the background to sync this record…',
    running: 'Syncing this record now…',
    queued: 'Queued: another sync cycle is running; this record is synced right after it.',
  },
  pair: {
    requesting: 'Asking the background to sync this campaign’s members with the program…',
    running: 'Syncing this campaign’s members with the program now…',
    queued: 'Queued: another sync cycle is running; this pair is synced right after it.',
  },
};

/** What Sync now is doing or did, in words (shown, and said by the panel's live region). */
function progressText(progress: SyncProgress, subject: SyncSubject): string {
  if (progress.phase === 'refused') return `Sync now refused: ${progress.message}`;
  if (progress.phase === 'error') return `Sync now failed: ${progress.message}`;
  if (progress.phase === 'done')
    return subject === 'pair'
      ? 'Sync finished; its result is under “Last Sync now of this pair”.'
      : 'Sync finished; the state below is the new one.';
  return PROGRESS_TEXT[subject][progress.phase];
}

const PROGRESS_CLASS: Record<SyncProgress['phase'], string> = {
  refused: 'refusal',
  error: 'error',
  done: 'done',
  requesting: 'progress',
  running: 'progress',
  queued: 'progress',
};

function ProgressLine({ progress, subject }: { progress: SyncProgress; subject: SyncSubject }) {
  return <p class={PROGRESS_CLASS[progress.phase]}>{progressText(progress, subject)}</p>;
}
