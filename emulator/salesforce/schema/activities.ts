// Task and Event. WhoId/WhatId are polymorphic lookups (Who: Lead or Contact).
import { bool, field, lookup, picklist, systemFields, text } from './fields';
import type { ObjectDef } from './types';

const WHO = ['Contact', 'Lead'];
const WHAT = ['Account', 'Opportunity', 'Campaign', 'Subscription__c', 'Event_Registration__c'];
export const TASK_STATUSES = [
  'Not Started',
  'In Progress',
  'Completed',
  'Waiting on someone else',
  'Deferred',
];

export const Task: ObjectDef = {
  name: 'Task',
  label: 'Task',
  labelPlural: 'Tasks',
  keyPrefix: '00T',
  fields: [
    ...systemFields({ owner: true }),
    text('Subject', 255, { nameField: true }),
    picklist('Status', TASK_STATUSES, { nillable: false, defaultValue: 'Not Started' }),
    picklist('Priority', ['High', 'Normal', 'Low'], { nillable: false, defaultValue: 'Normal' }),
    field('ActivityDate', 'date', { label: 'Due Date Only' }),
    lookup('WhoId', WHO, 'Who'),
    lookup('WhatId', WHAT, 'What'),
    field('Description', 'textarea', { length: 32000 }),
    picklist('Type', ['Call', 'Email', 'Meeting', 'Other']),
    picklist('TaskSubtype', ['Task', 'Email', 'Call'], { updateable: false }),
    bool('IsClosed', {
      createable: false,
      updateable: false,
      label: 'Closed',
      derive: (r) => r.Status === 'Completed' || r.Status === 'Deferred',
    }),
  ],
};

export const Event: ObjectDef = {
  name: 'Event',
  label: 'Event',
  labelPlural: 'Events',
  keyPrefix: '00U',
  fields: [
    ...systemFields({ owner: true }),
    text('Subject', 255, { nameField: true }),
    field('StartDateTime', 'datetime'),
    field('EndDateTime', 'datetime'),
    field('ActivityDateTime', 'datetime'),
    field('ActivityDate', 'date'),
    field('DurationInMinutes', 'int', { precision: 8 }),
    lookup('WhoId', WHO, 'Who'),
    lookup('WhatId', WHAT, 'What'),
    text('Location', 255),
    bool('IsAllDayEvent', { label: 'All-Day Event' }),
    picklist('Type', ['Call', 'Email', 'Meeting', 'Other']),
    field('Description', 'textarea', { length: 32000 }),
  ],
};
