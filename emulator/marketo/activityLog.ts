// Append-mostly activity store. Activities are kept sorted by (activityDate, id) per type and per
// lead, so a paging-token cursor resumes with a binary search and a page costs O(page), however
// many activities exist. Out-of-order dates (seeded history, a test moving the clock back) are
// inserted in place.
import type { ActivityCursor } from './pagingToken';

export interface ActivityAttribute {
  name: string;
  value: string | number | boolean | null;
}

export interface FieldChange {
  id: number;
  name: string;
  newValue: string | number | boolean | null;
  oldValue: string | number | boolean | null;
}

export interface Activity {
  id: number;
  leadId: number;
  date: number;
  typeId: number;
  primaryAttributeValueId?: number;
  primaryAttributeValue?: string;
  campaignId?: number;
  attributes: ActivityAttribute[];
  /** Set on Change Data Value (13): the field that changed. */
  fields?: FieldChange[];
}

export type NewActivity = Omit<Activity, 'id'>;

function before(a: ActivityCursor, b: ActivityCursor): boolean {
  return a.date < b.date || (a.date === b.date && a.id < b.id);
}

/** Index of the first activity strictly after the cursor. */
function firstAfter(list: Activity[], cursor: ActivityCursor): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(cursor, list[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function insertSorted(list: Activity[], activity: Activity): void {
  const last = list[list.length - 1];
  if (!last || !before(activity, last)) list.push(activity);
  else list.splice(firstAfter(list, activity), 0, activity);
}

export interface ActivityPage {
  items: Activity[];
  cursor: ActivityCursor;
  more: boolean;
}

export interface ActivityQuery {
  cursor: ActivityCursor;
  typeIds: number[];
  leadIds?: number[];
  pageSize: number;
  /** Most activities looked at per call; filters that skip many rows then give short pages. */
  scanLimit: number;
  accept?: (activity: Activity) => boolean;
}

export class ActivityLog {
  private byType = new Map<number, Activity[]>();
  private byLead = new Map<number, Activity[]>();
  private nextId = 1;
  private total = 0;

  get size(): number {
    return this.total;
  }

  get lastId(): number {
    return this.nextId - 1;
  }

  append(input: NewActivity): Activity {
    const activity: Activity = { id: this.nextId++, ...input };
    insertSorted(this.list(this.byType, activity.typeId), activity);
    insertSorted(this.list(this.byLead, activity.leadId), activity);
    this.total++;
    return activity;
  }

  /**
   * Bulk append for seeding: sorts once and merges per list instead of inserting one by one.
   * Takes ownership of the inputs (they become the stored activities).
   */
  appendMany(inputs: NewActivity[]): void {
    const sorted = inputs.slice().sort((a, b) => a.date - b.date);
    const perType = new Map<number, Activity[]>();
    const perLead = new Map<number, Activity[]>();
    for (const input of sorted) {
      const activity = input as Activity;
      activity.id = this.nextId++;
      this.list(perType, activity.typeId).push(activity);
      this.list(perLead, activity.leadId).push(activity);
    }
    this.total += sorted.length;
    for (const [typeId, added] of perType) this.byType.set(typeId, merge(this.byType.get(typeId), added));
    for (const [leadId, added] of perLead) this.byLead.set(leadId, merge(this.byLead.get(leadId), added));
  }

  forLead(leadId: number): readonly Activity[] {
    return this.byLead.get(leadId) ?? [];
  }

  /** Walks the selected lists in (date, id) order from the cursor; k-way merge, k ≤ 30. */
  page(query: ActivityQuery): ActivityPage {
    const typeSet = new Set(query.typeIds);
    const lists = query.leadIds
      ? query.leadIds.map((id) => this.byLead.get(id) ?? [])
      : query.typeIds.map((id) => this.byType.get(id) ?? []);
    const heads = lists.map((list) => firstAfter(list, query.cursor));
    const items: Activity[] = [];
    let cursor = query.cursor;
    let scanned = 0;
    while (items.length < query.pageSize && scanned < query.scanLimit) {
      let pick = -1;
      for (let i = 0; i < lists.length; i++) {
        const candidate = lists[i]![heads[i]!];
        if (candidate && (pick < 0 || before(candidate, lists[pick]![heads[pick]!]!))) pick = i;
      }
      if (pick < 0) break;
      const activity = lists[pick]![heads[pick]!]!;
      heads[pick]!++;
      scanned++;
      cursor = { date: activity.date, id: activity.id };
      if (query.leadIds && !typeSet.has(activity.typeId)) continue;
      if (query.accept && !query.accept(activity)) continue;
      items.push(activity);
    }
    const more = lists.some((list, i) => heads[i]! < list.length);
    return { items, cursor, more };
  }

  all(): Activity[] {
    const out: Activity[] = [];
    for (const list of this.byType.values()) out.push(...list);
    return out.sort((a, b) => a.id - b.id);
  }

  clear(): void {
    this.byType = new Map();
    this.byLead = new Map();
    this.nextId = 1;
    this.total = 0;
  }

  private list(map: Map<number, Activity[]>, key: number): Activity[] {
    let list = map.get(key);
    if (!list) {
      list = [];
      map.set(key, list);
    }
    return list;
  }
}

/** Merges two (date, id)-sorted lists; the common case (all new rows later) is a concat. */
function merge(existing: Activity[] | undefined, added: Activity[]): Activity[] {
  if (!existing || existing.length === 0) return added;
  const first = added[0];
  if (first && !before(first, existing[existing.length - 1]!)) {
    for (const a of added) existing.push(a);
    return existing;
  }
  const out: Activity[] = [];
  let i = 0;
  let j = 0;
  while (i < existing.length || j < added.length) {
    const a = existing[i];
    const b = added[j];
    if (b === undefined || (a !== undefined && before(a, b))) {
      out.push(a!);
      i++;
    } else {
      out.push(b);
      j++;
    }
  }
  return out;
}
