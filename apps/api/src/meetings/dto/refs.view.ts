import { ApiProperty } from '@nestjs/swagger';
import { PARTY_KIND_LABELS, PartyKind } from '@sc/core/org/org-level';
import { LabelView } from '../../http/common.dto';

export class RefView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  name!: string;
}

export class CodedRefView extends RefView {
  @ApiProperty()
  code!: string;
}

export class PartyRefView extends RefView {
  @ApiProperty({ enum: PartyKind })
  kind!: PartyKind;
  @ApiProperty({ type: LabelView })
  kindLabel!: LabelView;
}

export function partyRef(p: { id: string; name: string; kind: PartyKind }): PartyRefView {
  return { id: p.id, name: p.name, kind: p.kind, kindLabel: PARTY_KIND_LABELS[p.kind] };
}
