import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { Party } from '@sc/core/org/entities/party.entity';
import { PartyMember } from '@sc/core/org/entities/party-member.entity';
import { PARTY_KIND_LABELS, PartyKind } from '@sc/core/org/org-level';
import { LabelView, OptionalNotNull, PageInfo, PageQueryDto } from '../../http/common.dto';

export class PartyMemberDto {
  @ApiProperty({ example: '王芳' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ example: '书记', description: 'Role in the party: 书记, 主任, 业委会主任, 项目经理 ...' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  title?: string | null;
}

export class UpdatePartyMemberDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  title?: string | null;
}

export class CreatePartyDto {
  @ApiProperty({ enum: PartyKind })
  @IsEnum(PartyKind)
  kind!: PartyKind;

  @ApiProperty({ example: '锦里社区党委' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The community (may be left out when a compound is given)' })
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  communityCode?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'For a party of one compound; it must lie in the community' })
  @IsOptional()
  @IsUUID()
  compoundId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  compoundCode?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for a property_company party, refused for the others' })
  @IsOptional()
  @IsUUID()
  propertyCompanyId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  propertyCompanyCode?: string;

  @ApiPropertyOptional({ type: [PartyMemberDto], description: 'Representatives, created with the party' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PartyMemberDto)
  members?: PartyMemberDto[];
}

export class UpdatePartyDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class PartyListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  compoundId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Parties of communities under this unit' })
  @IsOptional()
  @IsUUID()
  under?: string;

  @ApiPropertyOptional({ enum: PartyKind })
  @IsOptional()
  @IsEnum(PartyKind)
  kind?: PartyKind;
}

export class PartyMemberView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  partyId!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ nullable: true, type: String })
  title!: string | null;
}

export class PartyView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ enum: PartyKind })
  kind!: PartyKind;
  @ApiProperty({ type: LabelView })
  kindLabel!: LabelView;
  @ApiProperty()
  name!: string;
  @ApiProperty({ format: 'uuid' })
  communityId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  compoundId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  propertyCompanyId!: string | null;
  @ApiProperty()
  createdAt!: Date;
  @ApiProperty()
  updatedAt!: Date;
}

export class PartyDetailView extends PartyView {
  @ApiProperty({ type: [PartyMemberView] })
  members!: PartyMemberView[];
}

export class PartyPage extends PageInfo {
  @ApiProperty({ type: [PartyView] })
  items!: PartyView[];
}

export class PartyMemberList {
  @ApiProperty({ type: [PartyMemberView] })
  items!: PartyMemberView[];
}

export function toPartyView(party: Party): PartyView {
  return {
    id: party.id,
    kind: party.kind,
    kindLabel: PARTY_KIND_LABELS[party.kind],
    name: party.name,
    communityId: party.community.id,
    compoundId: party.compound?.id ?? null,
    propertyCompanyId: party.propertyCompany?.id ?? null,
    createdAt: party.createdAt,
    updatedAt: party.updatedAt,
  };
}

export function toPartyMemberView(member: PartyMember): PartyMemberView {
  return { id: member.id, partyId: member.party.id, name: member.name, title: member.title ?? null };
}

export function toPartyDetailView({ party, members }: { party: Party; members: PartyMember[] }): PartyDetailView {
  return { ...toPartyView(party), members: members.map(toPartyMemberView) };
}
