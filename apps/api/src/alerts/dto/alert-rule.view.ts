import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CATEGORY_LABELS, RULE_KIND_LABELS, SEVERITY_LABELS } from '@sc/core/alerts/alert-kinds';
import { AlertRule } from '@sc/core/alerts/entities/alert-rule.entity';
import { EffectiveRule, RuleSource } from '@sc/core/alerts/rules/rule-definition';
import { sourceOfScopeKey } from '@sc/core/alerts/rules/rule-resolution';
import { LabelView } from '../../http/common.dto';

class RuleFieldsView {
  @ApiProperty({ example: 'gas' })
  deviceType!: string;
  @ApiProperty({ example: 'gas.lel_high' })
  alertType!: string;
  @ApiProperty({ enum: ['event', 'threshold', 'duration', 'repetition', 'offline', 'care_watch'] })
  kind!: string;
  @ApiProperty({ type: LabelView })
  kindLabel!: LabelView;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { field: 'lel', op: 'gt', limit: 10, forMinutes: 5 } })
  params!: Record<string, unknown>;
  @ApiProperty({ enum: ['critical', 'major', 'minor', 'warning'] })
  severity!: string;
  @ApiProperty({ type: LabelView })
  severityLabel!: LabelView;
  @ApiProperty({ enum: ['safety', 'facility'] })
  category!: string;
  @ApiProperty({ type: LabelView })
  categoryLabel!: LabelView;
  @ApiProperty({ type: LabelView, description: 'Name of the alert it raises' })
  name!: LabelView;
  @ApiProperty()
  enabled!: boolean;
  @ApiProperty({ enum: ['default', 'global', 'community', 'compound'], description: 'Catalogue default or the scope of the override' })
  source!: RuleSource;
  @ApiPropertyOptional({ format: 'uuid' })
  communityId?: string;
  @ApiPropertyOptional({ format: 'uuid' })
  compoundId?: string;
}

/** A rule in force (or switched off by a disabled override) for a device type at a place. */
export class EffectiveRuleView extends RuleFieldsView {
  @ApiPropertyOptional({ format: 'uuid', description: 'The stored override; absent for a catalogue default' })
  ruleId?: string;
}

/** A stored override. */
export class AlertRuleView extends RuleFieldsView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  createdAt!: Date;
  @ApiProperty()
  updatedAt!: Date;
}

export class AlertRulePage {
  @ApiProperty({ type: [AlertRuleView] })
  items!: AlertRuleView[];
  @ApiProperty()
  total!: number;
  @ApiProperty()
  limit!: number;
  @ApiProperty()
  offset!: number;
}

function labels(rule: { kind: EffectiveRule['kind']; severity: EffectiveRule['severity']; category: EffectiveRule['category'] }) {
  return { kindLabel: RULE_KIND_LABELS[rule.kind], severityLabel: SEVERITY_LABELS[rule.severity], categoryLabel: CATEGORY_LABELS[rule.category] };
}

export function toEffectiveRuleView(rule: EffectiveRule): EffectiveRuleView {
  return {
    deviceType: rule.deviceType,
    alertType: rule.alertType,
    kind: rule.kind,
    params: rule.params,
    severity: rule.severity,
    category: rule.category,
    ...labels(rule),
    name: { en: rule.name.en, zh: rule.name.zh },
    enabled: rule.enabled,
    source: rule.source,
    ruleId: rule.ruleId,
    communityId: rule.communityId,
    compoundId: rule.compoundId,
  };
}

export function toAlertRuleView(row: AlertRule): AlertRuleView {
  return {
    id: row.id,
    deviceType: row.deviceType,
    alertType: row.alertType,
    kind: row.kind,
    params: row.params,
    severity: row.severity,
    category: row.category,
    ...labels(row),
    name: { en: row.nameEn, zh: row.nameZh },
    enabled: row.enabled,
    source: sourceOfScopeKey(row.scopeKey),
    communityId: row.communityId ?? undefined,
    compoundId: row.compoundId ?? undefined,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
