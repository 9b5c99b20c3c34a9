import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsOptional } from 'class-validator';
import { IMPORT_KINDS, ImportKind } from '@sc/core/org/org-import.rows';

type Row = Record<string, unknown>;

const rowsOf = (description: string, example: Row) => ApiPropertyOptional({ type: 'array', items: { type: 'object' }, description, example: [example] });

/**
 * A JSON import of one or several kinds. Rows are checked one by one in the domain, so a bad row
 * is a row error and not a 400 for the whole import; here only the outer shape is checked.
 */
export class OrgImportDto {
  @rowsOf('{ code, name, nameEn?, level, parentCode?, pilot?, settlement? }', { code: 'HN-TJA-DS-JL', name: '锦里社区', level: 'community', parentCode: 'HN-TJA-DS', pilot: true, settlement: 'urban' })
  @IsOptional()
  @IsArray()
  units?: Row[];

  @rowsOf('{ code, name, creditCode?, servicePhone? }', { code: 'HN-PC-JL', name: '锦里物业' })
  @IsOptional()
  @IsArray()
  propertyCompanies?: Row[];

  @rowsOf('{ code, name, communityCode, propertyCompanyCode?, address? }', { code: 'HN-TJA-DS-JL-C01', name: '锦里花园', communityCode: 'HN-TJA-DS-JL' })
  @IsOptional()
  @IsArray()
  compounds?: Row[];

  @rowsOf('{ compoundCode, code, name, gridCode?, floors? }', { compoundCode: 'HN-TJA-DS-JL-C01', code: '1', name: '1号楼', gridCode: 'HN-TJA-DS-JL-G01' })
  @IsOptional()
  @IsArray()
  buildings?: Row[];

  @rowsOf('{ code, name, gridCode, fullTime?, active? }', { code: 'HN-GW-0001', name: '王芳', gridCode: 'HN-TJA-DS-JL-G01' })
  @IsOptional()
  @IsArray()
  gridWorkers?: Row[];

  @rowsOf('{ kind, name, communityCode?, compoundCode?, propertyCompanyCode?, members?: [{ name, title? }] }', {
    kind: 'party_organisation',
    name: '锦里社区党委',
    communityCode: 'HN-TJA-DS-JL',
    members: [{ name: '李华', title: '书记' }],
  })
  @IsOptional()
  @IsArray()
  parties?: Row[];
}

export class ImportRowErrorView {
  @ApiProperty({ enum: IMPORT_KINDS })
  kind!: ImportKind;
  @ApiProperty({ description: '1-based row of its kind (CSV: header excluded)' })
  row!: number;
  @ApiPropertyOptional({ example: 'parentCode' })
  field?: string;
  @ApiProperty()
  message!: string;
}

export class ImportResultView {
  @ApiProperty()
  created!: number;
  @ApiProperty()
  failed!: number;
  @ApiProperty({ type: [ImportRowErrorView] })
  errors!: ImportRowErrorView[];
}
