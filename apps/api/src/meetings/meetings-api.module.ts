import { Module } from '@nestjs/common';

/** HTTP: joint meetings, agenda, decisions, minutes, iCalendar feeds, the owners' committee board. */
@Module({})
export class MeetingsApiModule {}
