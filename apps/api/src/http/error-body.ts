import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetailBody {
  @ApiPropertyOptional({ description: 'Input field the message is about', example: 'parentCode' })
  field?: string;
  @ApiPropertyOptional({ description: 'Row of a bulk import (1-based, header excluded)', example: 3 })
  row?: number;
  @ApiProperty({ example: 'unknown parent unit X' })
  message!: string;
}

/** The one error shape of every HTTP error. */
export class ErrorBody {
  @ApiProperty({ example: 400 })
  statusCode!: number;
  @ApiProperty({ example: 'Bad Request' })
  error!: string;
  @ApiProperty({ example: 'validation failed: code must be a string' })
  message!: string;
  @ApiProperty({ type: [ErrorDetailBody] })
  details!: ErrorDetailBody[];
  @ApiPropertyOptional({ description: 'Correlates with the server logs' })
  requestId?: string;
}
