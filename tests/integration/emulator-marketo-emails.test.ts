// Marketo emulator over real HTTP: email assets and folders (issue 20; emails.md, folders.md,
// api-facts-objects E2.9): browse by folder and status with offset/maxReturn, by id and by name,
// the editable sections and the full content (1.0 emails only), approval rules, folder browse.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EmailCommand, runEmailCommand } from '../../emulator/marketo/emailControl';
import { DESIGN_STUDIO, DESIGN_STUDIO_EMAILS } from '../../emulator/marketo/emailStore';
import { type MarketoHarness, START, startMarketo } from './emulator-marketo-helpers';

let m: MarketoHarness;
beforeAll(async () => {
  m = await startMarketo();
});
afterAll(() => m.close());
beforeEach(() => {
  m.emulator.reset();
  m.clock.set(START);
});

const NO_ASSETS = 'No assets found for the given search criteria.';
const run = (command: EmailCommand) => runEmailCommand(m.emulator.store.emails, command);
const folderParam = (id: number, type = 'Folder') => JSON.stringify({ id, type });
const post = async (path: string) => {
  const res = await m.raw(path, { method: 'POST', headers: { Authorization: `Bearer ${await m.token()}` } });
  return (await res.json()) as Record<string, never>;
};

function sales() {
  const folder = run({ action: 'createFolder', name: 'Sales Emails' }).id!;
  const ids = ['Intro', 'Follow-up', 'Pricing'].map(
    (name, i) =>
      run({
        action: 'create',
        name,
        folder: { id: folder, type: 'Folder' },
        subject: `${name} subject`,
        html: `<p>Hello ${i}</p>`,
      }).id!,
  );
  const draft = run({
    action: 'create',
    name: 'Not ready',
    folder: { id: folder, type: 'Folder' },
    subject: 'Draft',
    html: '<p>wip</p>',
    approved: false,
  }).id!;
  return { folder, ids, draft };
}

describe('emails', () => {
  it('browses one folder by status with offset/maxReturn, dates in Z+0000, and says No assets', async () => {
    const { folder, ids, draft } = sales();
    run({
      action: 'create',
      name: 'Elsewhere',
      folder: { id: DESIGN_STUDIO_EMAILS, type: 'Folder' },
      subject: 's',
      html: 'x',
    });
    const first = await m.get('/rest/asset/v1/emails.json', {
      folder: folderParam(folder),
      status: 'approved',
      maxReturn: 2,
    });
    expect(first).toMatchObject({ success: true, errors: [], warnings: [] });
    expect(first.result.map((e: { id: number }) => e.id)).toEqual(ids.slice(0, 2));
    expect(first.result[0]).toMatchObject({
      name: 'Intro',
      status: 'approved',
      subject: { type: 'Text', value: 'Intro subject' },
      folder: { type: 'Folder', value: folder, folderName: 'Sales Emails' },
      createdAt: '2026-03-02T15:00:00Z+0000',
      updatedAt: '2026-03-02T15:00:00Z+0000',
      version: 1,
      workspace: 'Default',
    });
    const second = await m.get('/rest/asset/v1/emails.json', {
      folder: folderParam(folder),
      status: 'approved',
      maxReturn: 2,
      offset: 2,
    });
    expect(second.result.map((e: { id: number }) => e.id)).toEqual([ids[2]]);
    const drafts = await m.get('/rest/asset/v1/emails.json', {
      folder: folderParam(folder),
      status: 'draft',
    });
    expect(drafts.result.map((e: { id: number; status: string }) => [e.id, e.status])).toEqual([
      [draft, 'draft'],
    ]);
    const all = await m.get('/rest/asset/v1/emails.json', { folder: folderParam(folder) });
    expect(all.result).toHaveLength(4);
    const none = await m.get('/rest/asset/v1/emails.json', { folder: folderParam(999) });
    expect(none).toEqual({ success: true, errors: [], requestId: expect.any(String), warnings: [NO_ASSETS] });
    const bad = await m.get('/rest/asset/v1/emails.json', { folder: '{"id":"x"}' });
    expect(bad).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    const tooMany = await m.get('/rest/asset/v1/emails.json', { maxReturn: 201 });
    expect(tooMany).toMatchObject({ success: false, errors: [{ code: '1003' }] });
  });

  it('reads by id and by name, each version, and hides A/B-tested emails', async () => {
    const { folder, ids } = sales();
    m.clock.advance(60_000);
    run({ action: 'edit', id: ids[0]!, subject: 'Intro v2', html: '<p>New</p>' });
    const approved = await m.get(`/rest/asset/v1/email/${ids[0]}.json`);
    expect(approved.result[0]).toMatchObject({ status: 'approved', subject: { value: 'Intro subject' } });
    const draft = await m.get(`/rest/asset/v1/email/${ids[0]}.json`, { status: 'draft' });
    expect(draft.result[0]).toMatchObject({
      status: 'draft',
      subject: { value: 'Intro v2' },
      updatedAt: '2026-03-02T15:01:00Z+0000',
    });
    const byName = await m.get('/rest/asset/v1/email/byName.json', {
      name: 'Pricing',
      folder: folderParam(folder),
    });
    expect(byName.result[0].id).toBe(ids[2]);
    expect((await m.get('/rest/asset/v1/email/byName.json', {})).errors[0].code).toBe('701');
    run({ action: 'setAbTest', id: ids[1]!, abTest: true });
    expect((await m.get(`/rest/asset/v1/email/${ids[1]}.json`)).warnings).toEqual([NO_ASSETS]);
    const browse = await m.get('/rest/asset/v1/emails.json', {
      folder: folderParam(folder),
      status: 'approved',
    });
    expect(browse.result.map((e: { id: number }) => e.id)).toEqual([ids[0], ids[2]]);
  });

  it('serves the sections, and the full HTML and text of 1.0 emails only (709 for 2.0)', async () => {
    const folder = { id: DESIGN_STUDIO_EMAILS, type: 'Folder' as const };
    const v1 = run({
      action: 'create',
      name: 'Newsletter',
      folder,
      subject: 'News',
      sections: [
        { htmlId: 'title', html: '<h1>News</h1>', text: 'News' },
        { htmlId: 'body', html: '<p>Hi {{lead.First Name}}</p>', text: 'Hi {{lead.First Name}}' },
      ],
    }).id!;
    const v2 = run({ action: 'create', name: 'Modern', folder, subject: 'M', html: '<p>2.0</p>', version: 2 })
      .id!;
    const content = await m.get(`/rest/asset/v1/email/${v1}/content.json`, { status: 'approved' });
    expect(content.result).toEqual([
      {
        htmlId: 'title',
        value: [
          { type: 'HTML', value: '<h1>News</h1>' },
          { type: 'Text', value: 'News' },
        ],
        contentType: 'Text',
      },
      expect.objectContaining({ htmlId: 'body' }),
    ]);
    const html = await m.get(`/rest/asset/v1/email/${v1}/fullContent.json`, { status: 'approved' });
    expect(html.result[0]).toMatchObject({ id: v1, status: 'approved' });
    expect(html.result[0].content).toMatch(/^<!DOCTYPE html>[\s\S]*<h1>News<\/h1>[\s\S]*<\/html>$/);
    const textVersion = await m.get(`/rest/asset/v1/email/${v1}/fullContent.json`, { type: 'Text' });
    expect(textVersion.result[0].content).toBe('News\n\nHi {{lead.First Name}}');
    const refused = await m.get(`/rest/asset/v1/email/${v2}/fullContent.json`);
    expect(refused).toMatchObject({ success: false, errors: [{ code: '709' }] });
    expect((await m.get(`/rest/asset/v1/email/${v2}/content.json`)).result[0].value[0].value).toBe(
      '<p>2.0</p>',
    );
    expect((await m.get('/rest/asset/v1/email/424242/content.json')).warnings).toEqual([NO_ASSETS]);
    // Predictive Content: content reads and approval answer 709 (emails.md note).
    run({ action: 'setPredictive', id: v1, predictive: true });
    for (const path of ['content', 'fullContent'])
      expect(await m.get(`/rest/asset/v1/email/${v1}/${path}.json`)).toMatchObject({
        success: false,
        errors: [{ code: '709' }],
      });
    run({ action: 'edit', id: v1, subject: 'News 2' });
    expect(await post(`/rest/asset/v1/email/${v1}/approveDraft.json`)).toMatchObject({
      errors: [{ code: '709' }],
    });
  });

  it('approves, unapproves, discards and deletes by the rules (709 otherwise)', async () => {
    const { ids, draft } = sales();
    const approve = (id: number) => post(`/rest/asset/v1/email/${id}/approveDraft.json`);
    expect(await approve(ids[0]!)).toMatchObject({ success: false, errors: [{ code: '709' }] });
    expect(await post(`/rest/asset/v1/email/${ids[0]}/delete.json`)).toMatchObject({
      success: false,
      errors: [{ code: '709', message: expect.stringMatching(/unapprove/) }],
    });
    expect(await post(`/rest/asset/v1/email/${ids[0]}/unapprove.json`)).toMatchObject({
      success: true,
      result: [{ id: ids[0] }],
    });
    expect((await m.get(`/rest/asset/v1/email/${ids[0]}.json`)).result[0].status).toBe('draft');
    m.clock.advance(1_000);
    expect(await approve(ids[0]!)).toMatchObject({ success: true });
    expect((await m.get(`/rest/asset/v1/email/${ids[0]}.json`)).result[0]).toMatchObject({
      status: 'approved',
      updatedAt: '2026-03-02T15:00:01Z+0000',
    });
    run({ action: 'edit', id: draft, fromEmail: '' });
    expect(await approve(draft)).toMatchObject({
      success: false,
      errors: [{ code: '709', message: expect.stringMatching(/from email/) }],
    });
    run({ action: 'edit', id: ids[1]!, subject: 'Changed' });
    expect(await post(`/rest/asset/v1/email/${ids[1]}/discardDraft.json`)).toMatchObject({ success: true });
    expect((await m.get(`/rest/asset/v1/email/${ids[1]}.json`, { status: 'draft' })).warnings).toEqual([
      NO_ASSETS,
    ]);
    expect(await post(`/rest/asset/v1/email/${draft}/delete.json`)).toMatchObject({ success: true });
    expect(await post(`/rest/asset/v1/email/${draft}/delete.json`)).toMatchObject({
      success: false,
      errors: [{ code: '702' }],
    });
  });
});

describe('folders', () => {
  it('browses under a root to maxDepth, by id (type required) and by name; programs are folders', async () => {
    const { folder } = sales();
    m.emulator.control.createProgram({ name: 'Webinar', type: 'Event', channel: 'Webinar' });
    const tree = await m.get('/rest/asset/v1/folders.json', {
      root: folderParam(DESIGN_STUDIO),
      maxDepth: 5,
    });
    expect(
      tree.result.map((f: { name: string; folderType: string; path: string }) => [
        f.name,
        f.folderType,
        f.path,
      ]),
    ).toEqual([
      ['Design Studio', 'Zone', '/Design Studio'],
      ['Emails', 'Email', '/Design Studio/Default/Emails'],
      ['Sales Emails', 'Email', '/Design Studio/Default/Emails/Sales Emails'],
    ]);
    expect(tree.result[2]).toMatchObject({
      id: folder,
      folderId: { id: folder, type: 'Folder' },
      parent: { id: DESIGN_STUDIO_EMAILS, type: 'Folder' },
      isSystem: false,
      workspace: 'Default',
    });
    const shallow = await m.get('/rest/asset/v1/folders.json', {
      root: folderParam(DESIGN_STUDIO),
      maxDepth: 0,
    });
    expect(shallow.result).toHaveLength(1);
    const all = await m.get('/rest/asset/v1/folders.json', { maxDepth: 2, maxReturn: 200 });
    expect(
      all.result.map((f: { folderId: { type: string }; name: string }) => `${f.folderId.type}:${f.name}`),
    ).toContain('Program:Webinar');
    expect((await m.get(`/rest/asset/v1/folder/${folder}.json`)).errors[0].code).toBe('701');
    expect((await m.get(`/rest/asset/v1/folder/${folder}.json`, { type: 'Folder' })).result[0].name).toBe(
      'Sales Emails',
    );
    const byName = await m.get('/rest/asset/v1/folder/byName.json', { name: 'Sales Emails' });
    expect(byName.result.map((f: { id: number }) => f.id)).toEqual([folder]);
  });
});
