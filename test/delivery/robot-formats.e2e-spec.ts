import { createHmac } from 'node:crypto';
import { dropPrefixKeys, WebhookReceiver } from '@sc/testing';
import { createTestApp, TestApp } from '../support/test-app';
import { startWorker, uniqueQueuePrefix, WorkerTestApp } from '../support/worker-test-app';
import { createTarget, newCompany, notify, waitForDelivery, workOrderPayload } from './delivery-fixtures';

describe('WeCom and DingTalk group robots', () => {
  const prefix = uniqueQueuePrefix();
  let t: TestApp;
  let worker: WorkerTestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    t = await createTestApp({ env: { QUEUE_PREFIX: prefix } });
    worker = await startWorker({ ...t.db.env, QUEUE_PREFIX: prefix, DELIVERY_BACKOFF_MS: '100' });
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await receiver?.stop();
    await dropPrefixKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
  });

  async function robot(channel: 'wecom' | 'dingtalk', path: string, query: string, secret?: string) {
    const company = await newCompany(t.em());
    const target = await createTarget(t, { ownerKind: 'company', ownerId: company.id, channel, name: `${channel} robot`, url: `${receiver.url(path)}?${query}`, secret });
    const [deliveryId] = await notify(t, [{ kind: 'company', id: company.id }], { payload: workOrderPayload() });
    await waitForDelivery(t.em, deliveryId, 'delivered', (d) => d.status === 'delivered');
    const [request] = receiver.requests.filter((r) => r.path === path);
    return { target, request };
  }

  it('posts a WeCom robot a markdown message in Chinese with severity, title, place, deadlines and the order number', async () => {
    const { target, request } = await robot('wecom', '/wecom', 'key=robot-key-123');
    expect(request.url).toBe('/wecom?key=robot-key-123');
    expect(request.body).toEqual({ msgtype: 'markdown', markdown: { content: expect.any(String) } });
    const content = (request.body as { markdown: { content: string } }).markdown.content;
    expect(content.split('\n')).toEqual([
      '**【紧急】新工单：烟感报警 2单元3楼楼道**',
      '> 工单编号：WO-20261126-0001',
      '> 紧急程度：紧急',
      '> 地点：锦里社区 · 锦里花园 · 2单元3楼',
      '> 当前层级：社区',
      '> 状态：已派单',
      '> 接单时限：2026/11/26 14:05',
      '> 办结时限：2026/11/26 16:00',
    ]);
    // The robot key is a credential: the API shows the URL without it.
    expect(target.body.url).toBe(`${receiver.url('/wecom')}?key=***`);
    expect(target.body).not.toHaveProperty('secret');
  });

  it('signs a DingTalk robot URL with timestamp and sign as DingTalk documents, and posts markdown with a title', async () => {
    const secret = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';
    const before = Date.now();
    const { target, request } = await robot('dingtalk', '/dingtalk', 'access_token=tok-1', secret);
    const url = new URL(request.url, 'http://receiver');
    expect(url.searchParams.get('access_token')).toBe('tok-1');
    const timestamp = Number(url.searchParams.get('timestamp'));
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Date.now());
    const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
    expect(url.searchParams.get('sign')).toBe(expected);
    // URL-encoded on the wire: base64's '+', '/' and '=' never appear raw in the query.
    expect(request.url.split('sign=')[1]).toBe(encodeURIComponent(expected));
    expect(request.body).toEqual({
      msgtype: 'markdown',
      markdown: { title: '【紧急】新工单：烟感报警 2单元3楼楼道', text: expect.stringContaining('> 工单编号：WO-20261126-0001') },
    });
    expect(target.body).toMatchObject({ hasSecret: true });
    expect(target.body).not.toHaveProperty('secret');
  });

  it('leaves the URL of a DingTalk robot without a secret unsigned', async () => {
    const { request } = await robot('dingtalk', '/dingtalk-plain', 'access_token=tok-2');
    expect(request.url).toBe('/dingtalk-plain?access_token=tok-2');
  });
});
