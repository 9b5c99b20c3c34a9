import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { MAX_PAGE_LIMIT, Page } from '@sc/core/shared/paging';

/**
 * An optional field that, when present, must be a real value: PATCH bodies use `null` only
 * where it means "clear", so a null name is a 400, not a silent no-op.
 */
export const OptionalNotNull = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** Query-string booleans arrive as text. */
export const QueryBoolean = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class PageInfo {
  @ApiProperty({ description: 'Rows matching the query, over all pages' })
  total!: number;
  @ApiProperty()
  limit!: number;
  @ApiProperty()
  offset!: number;
}

export class LabelView {
  @ApiProperty({ example: 'Community / village' })
  en!: string;
  @ApiProperty({ example: '社区/村' })
  zh!: string;
}

export function toPageView<T, V>(page: Page<T>, map: (item: T) => V): { items: V[]; total: number; limit: number; offset: number } {
  return { items: page.items.map(map), total: page.total, limit: page.limit, offset: page.offset };
}
