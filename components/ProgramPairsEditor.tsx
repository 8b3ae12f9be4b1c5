import { useState } from 'preact/hooks';
import type {
  CampaignChoice,
  ProgramChoice,
  ProgramPairChoicesView,
} from '../lib/messaging/programPairViews';
import type { FieldIssue } from '../lib/settings/issues';
import { newPair, suggestPairs, unmappedStatuses } from '../lib/settings/programSuggestions';
import { NOT_IN_PROGRAM, type ProgramPair } from '../lib/settings/schema';

// Campaign ⇄ program pairs and their status mapping (issue 17, docs/campaigns.md). The pairs are
// part of the settings draft: the settings form's Save validates them with the zod schema (a
// program or campaign in two pairs, an unknown status) and writes nothing on error; the errors
// show on the pair and status they name.

interface Props {
  pairs: ProgramPair[];
  errors: FieldIssue[];
  onChange(pairs: ProgramPair[]): void;
  /** Campaigns and programs from both connections (the background reads them). */
  loadChoices(): Promise<ProgramPairChoicesView>;
}

const DIRECTIONS: { value: ProgramPair['direction']; label: string }[] = [
  { value: 'both', label: 'both ways' },
  { value: 'toProgram', label: 'Salesforce → Marketo' },
  { value: 'toCampaign', label: 'Marketo → Salesforce' },
];

export function ProgramPairsEditor({ pairs, errors, onChange, loadChoices }: Props) {
  const [choices, setChoices] = useState<ProgramPairChoicesView>();
  const [loading, setLoading] = useState(false);
  const [campaignId, setCampaignId] = useState('');
  const [programId, setProgramId] = useState('');

  async function load() {
    setLoading(true);
    try {
      setChoices(await loadChoices());
    } catch (error) {
      setChoices({ campaigns: [], programs: [], error: (error as Error).message });
    } finally {
      setLoading(false);
    }
  }
  const add = (campaign: CampaignChoice, program: ProgramChoice) =>
    onChange([...pairs, newPair(campaign, program)]);
  const suggestions = choices ? suggestPairs(choices.campaigns, choices.programs, pairs) : [];
  const chosenCampaign = choices?.campaigns.find((c) => c.id === campaignId);
  const chosenProgram = choices?.programs.find((p) => String(p.id) === programId);
  const listError = errors.find((e) => e.path === 'programPairs')?.message;

  return (
    <fieldset class="program-pairs">
      <legend>Campaigns ⇄ programs</legend>
      <p class="hint">
        Each Salesforce campaign linked to one Marketo program: members and their statuses sync between them.
        Needs the Campaign and Campaign Member objects switched on above.
      </p>
      {listError && (
        <p class="field-error" data-field="programPairs">
          {listError}
        </p>
      )}
      {pairs.map((pair, i) => (
        <PairEditor
          key={`${pair.campaignId}-${i}`}
          pair={pair}
          index={i}
          errors={errors.filter((e) => e.path.startsWith(`programPairs[${i}]`))}
          onChange={(next) => onChange(pairs.map((p, j) => (j === i ? next : p)))}
          onRemove={() => onChange(pairs.filter((_, j) => j !== i))}
        />
      ))}
      {!choices ? (
        <button type="button" onClick={load} disabled={loading}>
          {loading ? 'Reading campaigns and programs…' : 'Add a pair…'}
        </button>
      ) : (
        <div class="pair-choices">
          {choices.error && <p class="field-error">{choices.error}</p>}
          {suggestions.length > 0 && (
            <ul class="pair-suggestions" aria-label="Suggested pairs">
              {suggestions.map((s) => (
                <li key={s.campaign.id}>
                  {s.campaign.name} ⇄ {s.program.name} <span class="muted">({s.why})</span>{' '}
                  <button type="button" onClick={() => add(s.campaign, s.program)}>
                    Add
                  </button>
                </li>
              ))}
            </ul>
          )}
          <label for="pair-campaign">Campaign</label>
          <select
            id="pair-campaign"
            value={campaignId}
            onChange={(e) => setCampaignId(e.currentTarget.value)}
          >
            <option value="">Choose a campaign</option>
            {choices.campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <label for="pair-program">Program</label>
          <select id="pair-program" value={programId} onChange={(e) => setProgramId(e.currentTarget.value)}>
            <option value="">Choose a program</option>
            {choices.programs.map((p) => (
              <option key={p.id} value={String(p.id)}>
                {p.name} ({p.channel})
              </option>
            ))}
          </select>
          <button
            type="button"
            disabled={!chosenCampaign || !chosenProgram}
            onClick={() => {
              if (chosenCampaign && chosenProgram) add(chosenCampaign, chosenProgram);
              setCampaignId('');
              setProgramId('');
            }}
          >
            Add pair
          </button>
        </div>
      )}
    </fieldset>
  );
}

function PairEditor(props: {
  pair: ProgramPair;
  index: number;
  errors: FieldIssue[];
  onChange(pair: ProgramPair): void;
  onRemove(): void;
}) {
  const { pair, index, errors, onChange } = props;
  const prefix = `programPairs[${index}]`;
  const errorAt = (path: string) => errors.find((e) => e.path === `${prefix}${path}`)?.message;
  const pairErrors = errors.filter((e) => !e.path.startsWith(`${prefix}.statusMap`)).map((e) => e.message);
  const targets = pair.programStatuses.filter((s) => s !== NOT_IN_PROGRAM);
  const unmapped = unmappedStatuses(pair);

  function mapStatus(label: string, target: string) {
    const rest = pair.statusMap.filter((m) => m.salesforceStatus !== label);
    // The same label needs no entry: it is the default (pairs.ts marketoStatusOf).
    const statusMap =
      target === '' || target === label
        ? rest
        : [...rest, { salesforceStatus: label, marketoStatus: target }];
    onChange({ ...pair, statusMap });
  }

  return (
    <div class={pairErrors.length ? 'program-pair invalid' : 'program-pair'} data-pair={pair.campaignId}>
      <h4>
        {pair.campaignName || pair.campaignId} ⇄ {pair.programName || `program ${pair.programId}`}
      </h4>
      {pairErrors.map((message) => (
        <p key={message} class="field-error" data-field={`${prefix}`}>
          {message}
        </p>
      ))}
      <label for={`${prefix}-direction`}>Members sync</label>
      <select
        id={`${prefix}-direction`}
        value={pair.direction}
        onChange={(e) => onChange({ ...pair, direction: e.currentTarget.value as ProgramPair['direction'] })}
      >
        {DIRECTIONS.map((d) => (
          <option key={d.value} value={d.value}>
            {d.label}
          </option>
        ))}
      </select>
      <label for={`${prefix}-cost`}>Program cost goes to</label>
      <select
        id={`${prefix}-cost`}
        value={pair.costField ?? ''}
        onChange={(e) => {
          const { costField: _dropped, ...rest } = pair;
          const value = e.currentTarget.value as NonNullable<ProgramPair['costField']> | '';
          onChange(value ? { ...rest, costField: value } : rest);
        }}
      >
        <option value="">not synced</option>
        <option value="ActualCost">Actual Cost</option>
        <option value="BudgetedCost">Budgeted Cost</option>
      </select>
      <table class="status-map">
        <caption>Member status → program status</caption>
        <thead>
          <tr>
            <th scope="col">Campaign member status</th>
            <th scope="col">Program status</th>
          </tr>
        </thead>
        <tbody>
          {pair.campaignStatuses.map((label) => {
            const entry = pair.statusMap.findIndex((m) => m.salesforceStatus === label);
            const mapped = pair.statusMap[entry]?.marketoStatus ?? (targets.includes(label) ? label : '');
            const error =
              entry >= 0
                ? (errorAt(`.statusMap[${entry}].marketoStatus`) ??
                  errorAt(`.statusMap[${entry}].salesforceStatus`))
                : undefined;
            const id = `${prefix}-status-${label}`;
            return (
              <tr key={label} class={error ? 'invalid' : undefined}>
                <th scope="row">
                  <label for={id}>{label}</label>
                </th>
                <td>
                  <select id={id} value={mapped} onChange={(e) => mapStatus(label, e.currentTarget.value)}>
                    <option value="">— not mapped —</option>
                    {targets.map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </select>
                  {error && (
                    <span class="field-error" data-field={`${prefix}.statusMap`}>
                      {error}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {unmapped.length > 0 && (
        <p class="hint">
          Members at {unmapped.map((s) => `“${s}”`).join(', ')} cannot reach the program until the status is
          mapped.
        </p>
      )}
      <button type="button" onClick={props.onRemove}>
        Remove pair
      </button>
    </div>
  );
}
