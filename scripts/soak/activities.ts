// Tasks and Events in the soak (issue 20, docs/activities.md): sales users log, edit and delete
// Tasks and Events on synced leads and contacts, and the judge checks what Marketo's activity log
// says. The first such action switches Task and Event on. Judged, for every Task or Event of a
// selected type on a lead or contact that is synced and not excluded now (and every one sent
// before): exactly one "Logged" activity (more is a duplicate, none is lost), and its newest
// activity agrees with it now — its Subject, Type and Status (Event: Location), or "Deleted" once
// deleted. Tasks the sync made from Marketo activities are never sent back.
import type { Emulator } from '../../emulator/index';
import type { SyncSettings } from '../../lib/settings/schema';
import { personsBySfId } from './actions';

export interface ActivityAction {
  kind: 'salesforceActivity';
  object: 'Task' | 'Event';
  /** 0: log a new one, 1: edit one, 2: delete one. */
  op: number;
  record: number;
  value: number;
}

const TYPES = ['Call', 'Meeting', 'Email', 'Other'];
const STATUSES = ['Not Started', 'In Progress', 'Completed'];
const SUBJECTS = ['Intro call', 'Pricing follow-up', 'Zoë’s demo 🚀', `O'Brien "QBR"`, ' padded '];

const live = (row: Record<string, unknown>) => row.IsDeleted !== true;

export function applyActivityAction(emu: Emulator, settings: SyncSettings, a: ActivityAction): string {
  settings.objects.Task!.enabled = true;
  settings.objects.Event!.enabled = true;
  const rows = [...(emu.salesforce.store.tables.get(a.object)?.records.values() ?? [])].filter(
    (r) => live(r) && !String(r.Subject ?? '').includes('[mkto'),
  );
  const subject = SUBJECTS[a.value % SUBJECTS.length]!;
  if (a.op % 3 === 0 || rows.length === 0) {
    const persons = [...personsBySfId(emu).keys()].filter(
      (id) => emu.salesforce.store.get(id)?.IsDeleted !== true,
    );
    const who = persons[a.record % Math.max(1, persons.length)];
    if (!who) return `${a.object}: no person to log it on`;
    const Type = TYPES[a.value % TYPES.length]!;
    const fields =
      a.object === 'Task'
        ? {
            Subject: subject,
            WhoId: who,
            Type,
            Status: STATUSES[a.value % STATUSES.length]!,
            ActivityDate: '2026-07-01',
          }
        : {
            Subject: subject,
            WhoId: who,
            Type,
            StartDateTime: '2026-07-01T15:00:00Z',
            EndDateTime: '2026-07-01T16:00:00Z',
          };
    const { id } = emu.control.sfCreate({ object: a.object, fields });
    return `Salesforce ${a.object} ${id} (${Type}) logged on ${who}`;
  }
  const row = rows[a.record % rows.length]!;
  const id = String(row.Id);
  if (a.op % 3 === 2) {
    emu.control.sfDelete({ id });
    return `Salesforce ${a.object} ${id} deleted`;
  }
  const fields =
    a.object === 'Task'
      ? { Status: STATUSES[a.value % STATUSES.length]!, Subject: subject }
      : { Location: subject, Subject: subject };
  emu.control.sfUpdate({ id, fields });
  return `Salesforce ${a.object} ${id} = ${JSON.stringify(fields)}`;
}

interface Found {
  lost: string[];
  duplicated: string[];
  drifted: string[];
}

/** Marketo's activities of the sync's types against the Tasks and Events as they are now. */
export function judgeActivities(emu: Emulator, settings: SyncSettings): Found {
  const out: Found = { lost: [], duplicated: [], drifted: [] };
  const linked = personsBySfId(emu);
  const filter = settings.syncFilterField;
  for (const object of ['Task', 'Event'] as const) {
    if (!settings.objects[object]?.enabled) continue;
    const types = new Set(
      object === 'Task' ? settings.updateActivities.taskTypes : settings.updateActivities.eventTypes,
    );
    const apiName = object === 'Task' ? 'sfSyncStatusTask' : 'sfSyncStatusEvent';
    const byRecord = new Map<string, ReturnType<Emulator['control']['mkCustomActivities']>>();
    for (const a of emu.control.mkCustomActivities({ apiName })) {
      const id = String(a.attributes['Salesforce Id']);
      byRecord.set(id, [...(byRecord.get(id) ?? []), a]);
    }
    for (const row of emu.salesforce.store.tables.get(object)?.records.values() ?? []) {
      const id = String(row.Id);
      const sent = byRecord.get(id) ?? [];
      const logged = sent.filter((a) => a.attributes.Change === 'Logged').length;
      if (logged > 1) out.duplicated.push(`${object} ${id}: ${logged} Logged activities`);
      const newest = sent.at(-1);
      if (!live(row)) {
        if (newest && newest.attributes.Change !== 'Deleted')
          out.drifted.push(`${object} ${id} deleted, Marketo's newest says ${newest.attributes.Change}`);
        continue;
      }
      const who = String(row.WhoId ?? '');
      const person = emu.salesforce.store.get(who);
      const owed =
        types.has(String(row.Type ?? '')) &&
        !String(row.Subject ?? '').includes('[mkto') &&
        linked.has(who) &&
        person !== undefined &&
        person.IsDeleted !== true &&
        !(filter && person[filter] === true);
      if (!newest) {
        if (owed) out.lost.push(`${object} ${id} (${String(row.Type)}) on ${who} has no activity`);
        continue;
      }
      if (!(filter && person?.[filter] === true) && linked.has(who)) {
        const want: Record<string, unknown> =
          object === 'Task'
            ? { Type: row.Type, Status: row.Status }
            : { Type: row.Type, Location: row.Location };
        const diffs = Object.entries(want).filter(([k, v]) => (newest.attributes[k] ?? null) !== (v ?? null));
        if ((newest.primaryAttributeValue ?? null) !== (row.Subject ?? null))
          diffs.push(['Subject', row.Subject]);
        if (newest.attributes.Change === 'Deleted') diffs.push(['Change', 'Deleted']);
        if (diffs.length)
          out.drifted.push(
            `${object} ${id}: Marketo's newest activity differs on ${diffs.map(([k]) => k).join(', ')}`,
          );
      }
    }
  }
  return out;
}
