// How many Marketo persons name each Salesforce id (the emulator's leads, read once): "each lead
// in Marketo exactly once" at thousands of leads. A snapshot per id copied the whole database
// each time — tens of seconds of a CI run at 2,500 leads.
type Person = Record<string, unknown>;

/** For each Salesforce lead id, the persons whose sfdcLeadIdCustom names it. */
export function personsPerLead(persons: readonly Person[]): Map<string, Person[]> {
  const byLead = new Map<string, Person[]>();
  for (const person of persons) {
    const id = person.sfdcLeadIdCustom;
    if (typeof id !== 'string') continue;
    const list = byLead.get(id);
    if (list) list.push(person);
    else byLead.set(id, [person]);
  }
  return byLead;
}
