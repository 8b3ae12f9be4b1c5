// Routes of the CRM objects: /rest/v1/{opportunities | opportunities/roles | companies |
// salespersons}{/describe, /delete, /schema/fields}.json. With Marketo's own CRM sync on
// (setting `crmSyncEnabled`) the docs disagree (api-facts E2.1): opportunities, companies and
// sales persons stay readable and refuse writes with 1018 "CRM Enabled" — per record by default
// (error-codes.md lists 1018 among record-level codes), for the whole call with `crmRefusal:
// 'response'` — and the opportunity role API is not offered at all (1018 on every call).

import { describe, query, schemaField1, schemaFields } from './crmObjectReads';
import { CRM_OBJECTS, type CrmObjectDef } from './crmObjects';
import { deleteRecords, syncRecords } from './crmObjectWrites';
import { MarketoRequestError } from './envelope';
import { type Body, ok, type Route, type RouteContext } from './format';

const refuse = () => new MarketoRequestError('1018', 'CRM Enabled');

function gate(def: CrmObjectDef, ctx: RouteContext, write: boolean): void {
  const { settings } = ctx.store;
  if (!settings.crmSyncEnabled) return;
  if (def.kind === 'opportunityRole') throw refuse();
  if (write && settings.crmRefusal === 'response') throw refuse();
}

function routesOf(def: CrmObjectDef): Route[] {
  const base = `/rest/v1/${def.path}`.replace(/\//g, '\\/');
  const read = (handler: (d: CrmObjectDef, c: RouteContext) => Body) => (ctx: RouteContext) => {
    gate(def, ctx, false);
    return handler(def, ctx);
  };
  const routes: Route[] = [
    { methods: ['GET'], pattern: new RegExp(`^${base}\\/describe\\.json$`), handle: read(describe) },
    {
      methods: ['POST'],
      pattern: new RegExp(`^${base}\\/delete\\.json$`),
      handle: (ctx) => {
        gate(def, ctx, true);
        return ok(deleteRecords(def, ctx.store, ctx.req.json()));
      },
    },
    {
      methods: ['GET', 'POST'],
      pattern: new RegExp(`^${base}\\.json$`),
      handle: (ctx) => {
        if (ctx.req.method === 'GET') return read(query)(ctx);
        gate(def, ctx, true);
        return ok(syncRecords(def, ctx.store, ctx.req.json()));
      },
    },
  ];
  if (def.schemaFields)
    routes.push(
      {
        methods: ['GET'],
        pattern: new RegExp(`^${base}\\/schema\\/fields\\.json$`),
        handle: read(schemaFields),
      },
      {
        methods: ['GET'],
        pattern: new RegExp(`^${base}\\/schema\\/fields\\/([^/]+)\\.json$`),
        handle: read(schemaField1),
      },
    );
  return routes;
}

export const crmObjectRoutes: Route[] = CRM_OBJECTS.flatMap(routesOf);
