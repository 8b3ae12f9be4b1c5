// Which Task and Event steps run (docs/activities.md): each object's switch (`objects.Task`,
// `objects.Event`) turns on its Update Activities and Pull Updates steps; whole cycles only (Sync
// now on a record handles persons, accounts and campaign pairs). Each step reads its object on its
// own position: Pull Updates after `pull:<Object>`, Update Activities after `pull:<Object>Activity`
// (its probe target; probeTargets.ts maps it to the object).
import type { Operation } from '../../../db/types';
import type { PlannedStep, PlanScope } from '../../plan';
import type { ActivityObject } from './shape';

export const ACTIVITY_OBJECTS: readonly ActivityObject[] = ['Task', 'Event'];

/** Update Activities' probe target and cursor name for an object (`pull:TaskActivity`). */
export const activityTarget = (object: ActivityObject) => `${object}Activity`;

export const activityObjectsOn = (settings: PlanScope['settings']) =>
  ACTIVITY_OBJECTS.filter((o) => settings.objects[o]?.enabled);

export function activitySteps(operation: Operation, scope: PlanScope): PlannedStep[] {
  if (scope.record) return [];
  return activityObjectsOn(scope.settings).map((sobject) => ({ operation, objectType: sobject, sobject }));
}

/** The Type values of this object the admin sends (settings `updateActivities`). */
export function selectedTypes(settings: PlanScope['settings'], object: ActivityObject): Set<string> {
  const types =
    object === 'Task' ? settings.updateActivities.taskTypes : settings.updateActivities.eventTypes;
  return new Set(types.map((t) => t.trim()));
}

/**
 * Push Updates Task runs (followTasks.ts): Tasks switched on, and Push New making Tasks (its
 * activity types, a person object on). Push Updates then reads Merge Leads with its feed.
 */
export const followsPushedTasks = (settings: PlanScope['settings']) =>
  !!settings.objects.Task?.enabled &&
  settings.taskActivityTypes.length > 0 &&
  ['Lead', 'Contact'].some((o) => settings.objects[o]?.enabled);

/** Written with the first activity sent of an object: from then on Pull Updates follows its changes. */
export const sentKey = (object: ActivityObject) => `activities:sent:${object}`;
