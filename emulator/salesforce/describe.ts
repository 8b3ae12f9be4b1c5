// Describe global and per object (api-facts A5), generated from the schema with the caller's
// field-level security applied: hidden fields are left out, read-only ones are not
// createable/updateable. If-Modified-Since answers 304 when the schema has not changed.
import type { HttpReply } from '../http';
import type { ApiRequest } from './api';
import type { SObjectType } from './schema';
import type { FieldDef } from './schema/types';
import type { UserContext } from './users';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function urls(req: ApiRequest, type: SObjectType) {
  const base = `/services/data/v${req.version}/sobjects/${type.name}`;
  return {
    compactLayouts: `${base}/describe/compactLayouts`,
    rowTemplate: `${base}/{ID}`,
    approvalLayouts: `${base}/describe/approvalLayouts`,
    uiDetailTemplate: `${req.org.baseUrl}/{ID}`,
    uiEditTemplate: `${req.org.baseUrl}/{ID}/e`,
    defaultValues: `${base}/defaultValues?recordTypeId&fields`,
    describe: `${base}/describe`,
    uiNewRecord: `${req.org.baseUrl}/${type.def.keyPrefix}/e`,
    quickActions: `${base}/quickActions`,
    layouts: `${base}/describe/layouts`,
    sobject: base,
  };
}

export function globalEntry(req: ApiRequest, type: SObjectType) {
  const d = type.def;
  return {
    activateable: false,
    createable: d.createable !== false,
    custom: d.custom === true,
    customSetting: false,
    deepCloneable: false,
    deletable: d.deletable !== false,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: d.keyPrefix,
    label: d.label,
    labelPlural: d.labelPlural,
    layoutable: true,
    mergeable: ['Lead', 'Contact', 'Account'].includes(d.name),
    mruEnabled: true,
    name: d.name,
    queryable: true,
    replicateable: d.replicateable !== false,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: d.deletable !== false,
    updateable: d.updateable !== false,
    urls: urls(req, type),
  };
}

export function describeField(type: SObjectType, f: FieldDef, user: UserContext) {
  const editable = user.canEdit(type.name, f.name) && !f.formula;
  const createable = editable && f.createable !== false && type.def.createable !== false;
  const updateable = editable && f.updateable !== false && type.def.updateable !== false;
  const isText = !SOAP_TYPES[f.type];
  const nillable = f.nillable ?? !f.required;
  const length = isText ? (f.length ?? 255) : f.type === 'id' || f.type === 'reference' ? 18 : 0;
  return {
    aggregatable: f.type !== 'textarea',
    autoNumber: false,
    byteLength: length * 3,
    calculated: !!f.formula,
    calculatedFormula: f.formula?.text ?? null,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: null,
    controllerName: null,
    createable,
    custom: f.custom === true,
    defaultValue: f.defaultValue ?? null,
    defaultValueFormula: null,
    defaultedOnCreate: f.defaultValue !== undefined || f.createable === false,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.type === 'int' ? (f.precision ?? 9) : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: f.externalId === true,
    extraTypeInfo: null,
    filterable: f.type !== 'textarea',
    filteredLookupInfo: null,
    groupable: f.type !== 'textarea' && f.type !== 'double' && f.type !== 'datetime',
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: f.type === 'id' || f.externalId === true || f.type === 'email',
    inlineHelpText: null,
    label: f.label,
    length,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: f.nameField === true,
    namePointing: (f.referenceTo?.length ?? 0) > 1,
    nillable,
    permissionable: f.custom === true && nillable,
    picklistValues: (f.picklist ?? []).map((value) => ({
      active: true,
      defaultValue: value === f.defaultValue,
      label: value,
      validFor: null,
      value,
    })),
    polymorphicForeignKey: (f.referenceTo?.length ?? 0) > 1,
    precision: f.type === 'double' || f.type === 'currency' || f.type === 'percent' ? (f.precision ?? 18) : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: [...(f.referenceTo ?? [])],
    relationshipName: f.relationshipName ?? null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: f.restrictedPicklist === true,
    scale: f.scale ?? 0,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    sortable: f.type !== 'textarea',
    type: f.type,
    unique: f.unique === true,
    updateable,
    writeRequiresMasterRead: false,
  };
}

function childRelationships(req: ApiRequest, type: SObjectType) {
  const out = [];
  for (const child of req.org.store.schema.all()) {
    for (const f of child.fields) {
      if (!f.referenceTo?.includes(type.name) || f.name === 'CreatedById' || f.name === 'LastModifiedById')
        continue;
      out.push({
        cascadeDelete: false,
        childSObject: child.name,
        deprecatedAndHidden: false,
        field: f.name,
        junctionIdListNames: [],
        junctionReferenceTo: [],
        relationshipName: null,
        restrictedDelete: false,
      });
    }
  }
  return out;
}

/** 304 when the client's If-Modified-Since is not older than the schema (second precision). */
export function notModified(req: ApiRequest, modifiedAt: number): HttpReply | undefined {
  const since = req.headers['if-modified-since'];
  if (!since) return undefined;
  const sinceMs = Date.parse(String(since));
  if (Number.isNaN(sinceMs)) return undefined;
  return Math.floor(modifiedAt / 1000) * 1000 <= sinceMs ? { status: 304 } : undefined;
}

export function describeGlobal(req: ApiRequest): HttpReply {
  const types = req.org.store.schema.all();
  const lastChange = Math.max(...types.map((t) => t.modifiedAt));
  return (
    notModified(req, lastChange) ?? {
      status: 200,
      body: { encoding: 'UTF-8', maxBatchSize: 200, sobjects: types.map((t) => globalEntry(req, t)) },
    }
  );
}

export function describeSObject(req: ApiRequest, type: SObjectType): HttpReply {
  const cached = notModified(req, type.modifiedAt);
  if (cached) return cached;
  const fields = type.fields
    .filter((f) => req.user.canRead(type.name, f.name))
    .map((f) => describeField(type, f, req.user));
  return {
    status: 200,
    headers: { 'Last-Modified': new Date(type.modifiedAt).toUTCString() },
    body: {
      ...globalEntry(req, type),
      actionOverrides: [],
      childRelationships: childRelationships(req, type),
      compactLayoutable: true,
      defaultImplementation: null,
      extendedBy: null,
      extendsInterfaces: null,
      fields,
      implementedBy: null,
      implementsInterfaces: null,
      listviewable: null,
      lookupLayoutable: null,
      namedLayoutInfos: [],
      networkScopeFieldName: null,
      recordTypeInfos: [
        {
          active: true,
          available: true,
          defaultRecordTypeMapping: true,
          developerName: 'Master',
          master: true,
          name: 'Master',
          recordTypeId: '012000000000000AAA',
          urls: {
            layout: `/services/data/v${req.version}/sobjects/${type.name}/describe/layouts/012000000000000AAA`,
          },
        },
      ],
      searchLayoutable: true,
      supportedScopes: [{ label: 'All', name: 'everything' }],
    },
  };
}
