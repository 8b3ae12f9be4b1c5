// The soak's judge of the objects' children (objectsJudge.ts has the rest and the rules): contact
// roles and the custom object's records. Marketo holds one role per live role of a synced contact,
// on that contact's person, and no role Salesforce does not explain; one record per live record of
// a synced person, on that person, and none left on a person it no longer belongs to.
import { SOAK_CUSTOM_OBJECT } from './objects';
import { diff, groupBy, type JudgeKit } from './objectsJudge';

const CUSTOM_FIELDS: [string, string][] = [
  ['Product__c', 'productName'],
  ['Status__c', 'status'],
  ['Start_Date__c', 'startDate'],
];

export async function judgeRoles({ emu, v, rows, crm, personOf, judgeRecord }: JudgeKit) {
  const store = emu.salesforce.store;
  const key = (opp: unknown, leadId: unknown, role: unknown) =>
    JSON.stringify([String(opp), Number(leadId), typeof role === 'string' && role ? role : 'Unspecified']);
  const mkRoles = groupBy(crm('opportunityRole'), (r) => key(r.externalOpportunityId, r.leadId, r.role));
  const explained = new Set<string>();
  const failedOf = new Map<string, string>();
  for (const role of rows('OpportunityContactRole')) {
    if (role.IsDeleted) continue;
    v.records += 1;
    const id = String(role.Id);
    const person = personOf(role.ContactId);
    if (person.leadId === undefined) continue;
    // A contact excluded after its role was written: its person is still on the opportunity.
    const k = key(role.OpportunityId, person.leadId, role.Role);
    explained.add(k);
    if (person.excluded) continue;
    const mk = mkRoles.get(k) ?? [];
    const diffs = mk[0] ? diff('IsPrimary', role.IsPrimary === true, mk[0].isPrimary === true) : [];
    const before = v.failed.length;
    await judgeRecord('OpportunityContactRole', id, diffs, !mk[0]);
    if (v.failed.length > before) failedOf.set(String(role.OpportunityId), id);
  }
  for (const [k, mk] of mkRoles) {
    if (explained.has(k)) continue;
    const opp = String(mk[0]!.externalOpportunityId);
    const what = `Marketo role ${k} (${mk[0]!.key}) has no Salesforce role`;
    const live = store.get(opp) && !store.get(opp)!.IsDeleted;
    if (failedOf.has(opp)) v.failed.push(`${what}; role ${failedOf.get(opp)} is shown Failed`);
    else if (!live) v.lost.push(`${what}: opportunity ${opp} deleted, its role still in Marketo`);
    else v.drifted.push(what);
  }
}

export async function judgeCustom({ emu, settings, since, v, rows, personOf, judgeRecord }: JudgeKit) {
  const config = settings.customObjects[SOAK_CUSTOM_OBJECT]!;
  const mkRecords = groupBy(
    emu.control.mkCustomObjectRecords({ name: config.marketoObject }),
    'subscriptionId',
  );
  const sfIds = new Set<string>();
  for (const row of rows(SOAK_CUSTOM_OBJECT)) {
    const id = String(row.Id);
    sfIds.add(id);
    const mk = mkRecords.get(id) ?? [];
    if (row.IsDeleted) {
      if (mk.length && Number(row.SystemModstamp) >= since)
        v.lost.push(`${SOAK_CUSTOM_OBJECT} ${id} deleted, still in Marketo`);
      continue;
    }
    v.records += 1;
    if (mk.length > 1) v.duplicated.push(`${SOAK_CUSTOM_OBJECT} ${id}: ${mk.length} Marketo records`);
    const link = config.linkFields.map((f) => row[f]).find((p) => typeof p === 'string' && p !== '');
    const person = personOf(link);
    if (!link || person.excluded) {
      // Not the sync's to write: Marketo must not keep it on a person it no longer belongs to.
      const why = link ? `its person ${link} is excluded` : 'it has no lead or contact';
      if (mk[0] && mk[0].leadId !== person.leadId)
        v.drifted.push(`${SOAK_CUSTOM_OBJECT} ${id}: ${why}, Marketo keeps it on person ${mk[0].leadId}`);
      continue;
    }
    if (person.leadId === undefined) continue;
    const m = mk[0];
    const diffs = m
      ? [
          ...CUSTOM_FIELDS.flatMap(([sf, f]) => diff(sf, row[sf], m[f])),
          ...diff('person', person.leadId, m.leadId),
        ]
      : [];
    await judgeRecord(SOAK_CUSTOM_OBJECT, id, diffs, !m);
  }
  for (const id of mkRecords.keys())
    if (!sfIds.has(id)) v.lost.push(`Marketo ${config.marketoObject} ${id}: no such record in Salesforce`);
}
