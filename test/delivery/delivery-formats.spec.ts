import { createHmac } from 'node:crypto';
import { rejectionOf } from '@sc/core/delivery/channels/channels';
import { dingtalkSign, signedDingtalkUrl } from '@sc/core/delivery/channels/dingtalk.format';
import { markdownOf, messageText } from '@sc/core/delivery/channels/message-text';
import { webhookRequest } from '@sc/core/delivery/channels/webhook.format';
import { nextRedriveId } from '@sc/core/delivery/dead-letter-redrive';
import { SecretBox } from '@sc/core/delivery/secret-box';
import { RuntimeSettings } from '@sc/config';
import { verifyWebhook } from '@sc/messaging';
import { maskUrl } from '../../apps/api/src/delivery/dto/delivery-target.view';

const settings = (key: string) => ({ pseudonymKey: key }) as RuntimeSettings;

describe('delivery formats', () => {
  it('counts a robot 200 with a non-zero errcode as a failure, and names the code', () => {
    expect(rejectionOf('wecom', { status: 200, body: '{"errcode":0,"errmsg":"ok"}' }, 'qyapi')).toBeUndefined();
    expect(rejectionOf('wecom', { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' }, 'qyapi')).toBe('WeCom errcode 93000: invalid webhook url');
    expect(rejectionOf('dingtalk', { status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' }, 'oapi')).toBe('DingTalk errcode 310000: sign not match');
    expect(rejectionOf('dingtalk', { status: 200, body: 'ok' }, 'oapi')).toMatch(/without JSON/);
    expect(rejectionOf('webhook', { status: 204, body: '' }, 'pm')).toBeUndefined();
    expect(rejectionOf('webhook', { status: 302, body: '' }, 'pm.example.com')).toBe('HTTP 302 from pm.example.com');
  });

  it('signs DingTalk with HMAC-SHA256 of "timestamp\\nsecret" and URL-encodes the signature', () => {
    const sign = dingtalkSign('SECabc', 1700000000000);
    expect(sign).toBe(createHmac('sha256', 'SECabc').update('1700000000000\nSECabc').digest('base64'));
    const url = signedDingtalkUrl('https://oapi.dingtalk.com/robot/send?access_token=t', 'SECabc', 1700000000000);
    expect(url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign=${encodeURIComponent(sign)}`);
  });

  it('signs a webhook body so that the documented receiver check accepts it and rejects a changed body', () => {
    const now = new Date();
    const request = webhookRequest({ url: 'https://pm.example.com/h', secret: 'whsec_test', deliveryId: 'd-1', event: 'created', payload: { a: 1 }, now });
    expect(verifyWebhook('whsec_test', request.headers, request.body, now.getTime())).toEqual({ ok: true });
    expect(verifyWebhook('whsec_test', request.headers, request.body.replace('1', '2'), now.getTime())).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyWebhook('whsec_test', request.headers, request.body, now.getTime() + 301_000)).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('writes meeting notices and unknown payloads in Chinese too, and keeps markdown out of names', () => {
    expect(messageText('meeting_notice', { meeting: { title: '锦里社区联席会议', startsAt: '2026-12-01T02:00:00Z', place: '社区会议室' } })).toEqual({
      heading: '联席会议通知：锦里社区联席会议',
      lines: ['时间：2026/12/01 10:00', '地点：社区会议室'],
    });
    expect(messageText('reminder', { title: 'x' }).heading).toBe('催办提醒：x');
    const markdown = markdownOf(messageText('created', { workOrder: { title: '[点我](http://evil) *x*', number: 'WO-1' } }), 1000);
    expect(markdown.split('\n')[0]).toBe('**新工单：［点我］(http://evil) ＊x＊**');
  });

  it('seals secrets so that only the same key opens them, differently each time', () => {
    const box = new SecretBox(settings('k'.repeat(32)));
    const a = box.seal('whsec_secret');
    const b = box.seal('whsec_secret');
    expect(a).not.toBe(b);
    expect(a).not.toContain('whsec_secret');
    expect(box.open(a)).toBe('whsec_secret');
    expect(() => new SecretBox(settings('x'.repeat(32))).open(a)).toThrow();
  });

  it('names redriven jobs with an increasing suffix', () => {
    expect(nextRedriveId('deliver.abc')).toBe('deliver.abc.r1');
    expect(nextRedriveId('deliver.abc.r1')).toBe('deliver.abc.r2');
    expect(nextRedriveId('remind.wo.street.3')).toBe('remind.wo.street.3.r1');
  });

  it('masks every query value of a target URL', () => {
    expect(maskUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc')).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***');
    expect(maskUrl('https://pm.example.com/hook')).toBe('https://pm.example.com/hook');
  });
});
