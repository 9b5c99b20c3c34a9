import { Module } from '@nestjs/common';

/** Joint meetings (联席会议) and the owners' committee board. */
@Module({})
export class MeetingsModule {}
