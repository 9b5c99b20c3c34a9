import { Module } from '@nestjs/common';
import { MeetingsModule } from '@sc/core/meetings/meetings.module';
import { AgendaController } from './agenda.controller';
import { AttendanceController } from './attendance.controller';
import { BoardsController } from './boards.controller';
import { CalendarController } from './calendar.controller';
import { MeetingsController } from './meetings.controller';
import { MinutesController } from './minutes.controller';

/** HTTP: joint meetings, agenda, decisions, minutes, iCalendar feeds, the owners' committee board. */
@Module({
  imports: [MeetingsModule],
  // The calendar routes first: their literal segments must not be taken for a meeting id.
  controllers: [CalendarController, MeetingsController, AgendaController, AttendanceController, MinutesController, BoardsController],
})
export class MeetingsApiModule {}
