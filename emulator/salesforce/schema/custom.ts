// The org's custom objects: records linked to a contact or a lead through lookups (api-facts-objects
// E1 "Custom objects"), the kind Marketo's custom object sync takes.
import { bool, field, lookup, picklist, systemFields, text } from './fields';
import type { ObjectDef } from './types';

/** A product subscription linked to a contact or a lead. */
export const Subscription: ObjectDef = {
  name: 'Subscription__c',
  label: 'Subscription',
  labelPlural: 'Subscriptions',
  keyPrefix: 'a0B',
  custom: true,
  fields: [
    ...systemFields({ owner: true }),
    text('Name', 80, { nillable: false, required: true, nameField: true, label: 'Subscription Name' }),
    lookup('Contact__c', ['Contact'], 'Contact__r', { custom: true, label: 'Contact' }),
    lookup('Lead__c', ['Lead'], 'Lead__r', { custom: true, label: 'Lead' }),
    picklist('Product__c', ['Analytics', 'Automation', 'Integration', 'Support'], { label: 'Product' }),
    picklist('Status__c', ['Trial', 'Active', 'Cancelled'], { label: 'Status' }),
    field('Start_Date__c', 'date', { label: 'Start Date' }),
    field('Seats__c', 'double', { precision: 6, scale: 0, label: 'Seats' }),
  ],
};

/** An event registration of a lead or a contact (a second object, with its own lookups). */
export const EventRegistration: ObjectDef = {
  name: 'Event_Registration__c',
  label: 'Event Registration',
  labelPlural: 'Event Registrations',
  keyPrefix: 'a0C',
  custom: true,
  fields: [
    ...systemFields({ owner: true }),
    text('Name', 80, { nillable: false, required: true, nameField: true, label: 'Registration Number' }),
    lookup('Lead__c', ['Lead'], 'Lead__r', { custom: true, label: 'Lead' }),
    lookup('Contact__c', ['Contact'], 'Contact__r', { custom: true, label: 'Contact' }),
    text('Event_Name__c', 120, { custom: true, label: 'Event' }),
    field('Event_Date__c', 'date', { label: 'Event Date' }),
    bool('Attended__c', { label: 'Attended' }),
  ],
};
