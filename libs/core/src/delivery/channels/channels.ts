import type { DeliveryChannel } from '../entities/delivery-target.entity';
import type { OutgoingRequest, TransportResponse } from '../delivery-ports';
import type { ChannelInput } from './channel-input';
import { dingtalkRequest } from './dingtalk.format';
import { webhookRequest } from './webhook.format';
import { wecomRequest } from './wecom.format';

export function requestFor(channel: DeliveryChannel, input: ChannelInput): OutgoingRequest {
  switch (channel) {
    case 'webhook':
      return webhookRequest(input);
    case 'wecom':
      return wecomRequest(input);
    case 'dingtalk':
      return dingtalkRequest(input);
  }
}

const ROBOT_NAMES: Record<DeliveryChannel, string> = { webhook: 'webhook', wecom: 'WeCom', dingtalk: 'DingTalk' };

/**
 * Why an answer is not a delivery, or undefined when it is: a status outside 2xx, or a robot's
 * 200 carrying an error code (WeCom and DingTalk answer 200 {"errcode": 310000, ...}).
 */
export function rejectionOf(channel: DeliveryChannel, response: TransportResponse, host: string): string | undefined {
  if (response.status < 200 || response.status >= 300) return `HTTP ${response.status} from ${host}`;
  if (channel === 'webhook') return undefined;
  let answer: unknown;
  try {
    answer = JSON.parse(response.body);
  } catch {
    return `${ROBOT_NAMES[channel]} answered HTTP ${response.status} without JSON from ${host}`;
  }
  const code = typeof answer === 'object' && answer !== null ? (answer as { errcode?: unknown; errmsg?: unknown }) : {};
  if (code.errcode === 0) return undefined;
  const message = typeof code.errmsg === 'string' ? `: ${code.errmsg.slice(0, 200)}` : '';
  return `${ROBOT_NAMES[channel]} errcode ${String(code.errcode ?? 'missing')}${message}`;
}
