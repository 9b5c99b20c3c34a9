import { createHmac } from 'node:crypto';
import type { OutgoingRequest } from '../delivery-ports';
import type { ChannelInput } from './channel-input';
import { markdownOf, messageText } from './message-text';

const DINGTALK_MAX_CHARS = 5000;

/**
 * DingTalk's documented robot signature ("加签"): sign = base64(HMAC-SHA256(secret,
 * `${timestamp}\n${secret}`)), timestamp in milliseconds, both appended to the URL.
 */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

export function signedDingtalkUrl(url: string, secret: string, timestampMs: number): string {
  const signed = new URL(url);
  signed.searchParams.set('timestamp', String(timestampMs));
  signed.searchParams.set('sign', dingtalkSign(secret, timestampMs));
  return signed.toString();
}

/** A DingTalk group-robot markdown message, signed when the robot has a secret. */
export function dingtalkRequest(input: ChannelInput): OutgoingRequest {
  const message = messageText(input.event, input.payload);
  return {
    url: input.secret ? signedDingtalkUrl(input.url, input.secret, input.now.getTime()) : input.url,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ msgtype: 'markdown', markdown: { title: message.heading.slice(0, 64), text: markdownOf(message, DINGTALK_MAX_CHARS) } }),
  };
}
