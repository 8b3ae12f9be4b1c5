// The options form's Update Activities fields (issue 20): Task and Event types typed as comma lists,
// stored as the schema's lists, refused by the schema naming the value that is wrong, and shown
// for that field.
import { describe, expect, it } from 'vitest';
import { fromDraft, toDraft } from '../../components/settingsDraft';
import { errorOf } from '../../components/UpdateActivitiesFields';
import { defaultSettings, parseSettings } from '../../lib/settings';

describe('Update Activities on the options form', () => {
  it('shows the defaults and stores what is typed, trimmed, empty entries dropped', () => {
    const settings = defaultSettings();
    const draft = toDraft(settings);
    expect(draft.updateActivities).toEqual({ taskTypes: 'Call, Meeting', eventTypes: 'Meeting' });
    const parsed = parseSettings(
      fromDraft(settings, { ...draft, updateActivities: { taskTypes: ' Call ,, Demo ', eventTypes: '' } }),
    );
    expect(parsed.ok && parsed.value.updateActivities).toEqual({
      taskTypes: ['Call', 'Demo'],
      eventTypes: [],
    });
  });

  it('refuses a Type longer than Salesforce keeps, naming it next to the field', () => {
    const settings = defaultSettings();
    const long = 'x'.repeat(41);
    const parsed = parseSettings(
      fromDraft(settings, {
        ...toDraft(settings),
        updateActivities: { taskTypes: `Call, ${long}`, eventTypes: 'Meeting' },
      }),
    );
    expect(parsed.ok).toBe(false);
    const errors = parsed.ok ? [] : parsed.errors;
    expect(errors.map((e) => e.path)).toEqual(['updateActivities.taskTypes[1]']);
    expect(errorOf(errors, 'taskTypes')).toMatch(/^Value 2: /);
    expect(errorOf(errors, 'eventTypes')).toBeUndefined();
  });
});
