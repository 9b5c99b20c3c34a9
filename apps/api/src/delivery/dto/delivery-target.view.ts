import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DELIVERY_CHANNEL_LABELS, DELIVERY_CHANNELS, DELIVERY_OWNER_KIND_LABELS, DELIVERY_OWNER_KINDS } from '@sc/core/delivery/delivery-labels';
import { DeliveryTarget } from '@sc/core/delivery/entities/delivery-target.entity';
import { LabelView } from '../../http/common.dto';

/** A delivery target as the API shows it: never its secret, and its URL without the query's values (robot keys, tokens). */
export class DeliveryTargetView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ enum: DELIVERY_OWNER_KINDS })
  ownerKind!: string;
  @ApiProperty({ type: LabelView })
  ownerKindLabel!: LabelView;
  @ApiProperty({ format: 'uuid' })
  ownerId!: string;
  @ApiProperty({ enum: DELIVERY_CHANNELS })
  channel!: string;
  @ApiProperty({ type: LabelView })
  channelLabel!: LabelView;
  @ApiProperty()
  name!: string;
  @ApiProperty({ example: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***', description: 'Query values are masked: they often are credentials' })
  url!: string;
  @ApiProperty({ description: 'Whether a signing secret is stored (it is never shown again)' })
  hasSecret!: boolean;
  @ApiProperty()
  ratePerMinute!: number;
  @ApiProperty()
  timeoutMs!: number;
  @ApiProperty()
  enabled!: boolean;
  @ApiProperty()
  createdAt!: Date;
  @ApiProperty()
  updatedAt!: Date;
}

/** The answer to creation and rotation: a webhook's secret is in this response and nowhere else, ever. */
export class DeliveryTargetWithSecretView extends DeliveryTargetView {
  @ApiPropertyOptional({
    example: 'whsec_3q2-7wErTyUiOpAsDfGhJkLzXcVbNm1234567890abc',
    description: 'Webhook signing key, shown this once: configure the receiver with it now (absent for robots)',
  })
  secret?: string;
}

export class DeliveryTargetPage {
  @ApiProperty({ type: [DeliveryTargetView] })
  items!: DeliveryTargetView[];
  @ApiProperty()
  total!: number;
  @ApiProperty()
  limit!: number;
  @ApiProperty()
  offset!: number;
}

export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.search === '') return url;
    for (const key of [...new Set(parsed.searchParams.keys())]) parsed.searchParams.set(key, '***');
    return parsed.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    return '***';
  }
}

export function toDeliveryTargetView(target: DeliveryTarget): DeliveryTargetView {
  return {
    id: target.id,
    ownerKind: target.ownerKind,
    ownerKindLabel: DELIVERY_OWNER_KIND_LABELS[target.ownerKind],
    ownerId: target.ownerId,
    channel: target.channel,
    channelLabel: DELIVERY_CHANNEL_LABELS[target.channel],
    name: target.name,
    url: maskUrl(target.url),
    hasSecret: target.secretCipher !== undefined && target.secretCipher !== null,
    ratePerMinute: target.ratePerMinute,
    timeoutMs: target.timeoutMs,
    enabled: target.enabled,
    createdAt: target.createdAt,
    updatedAt: target.updatedAt,
  };
}

export function toDeliveryTargetWithSecretView(result: { target: DeliveryTarget; secret?: string }): DeliveryTargetWithSecretView {
  return { ...toDeliveryTargetView(result.target), secret: result.secret };
}
