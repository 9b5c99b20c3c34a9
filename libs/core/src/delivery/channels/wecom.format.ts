import type { OutgoingRequest } from '../delivery-ports';
import type { ChannelInput } from './channel-input';
import { markdownOf, messageText } from './message-text';

/** WeCom (企业微信) group robots take at most 4096 bytes of markdown; Chinese text is 3 bytes a character. */
const WECOM_MAX_CHARS = 1300;

/** A WeCom group-robot markdown message; the robot's key is part of its URL. */
export function wecomRequest(input: ChannelInput): OutgoingRequest {
  const content = markdownOf(messageText(input.event, input.payload), WECOM_MAX_CHARS);
  return {
    url: input.url,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }),
  };
}
