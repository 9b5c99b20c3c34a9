import { Controller, Get, Header, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { MeetingCalendar } from '@sc/core/meetings/meeting-calendar.service';
import { Principal } from '@sc/core/identity/principal';
import { Permission } from '@sc/core/identity/roles';
import { Authenticated, CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';

const CALENDAR = 'text/calendar; charset=utf-8';

/**
 * iCalendar feeds. Authenticated like every route (Bearer token or API key); a calendar app
 * that cannot send headers needs a per-person feed token, which is a follow-up.
 */
@ApiTags('joint meetings 联席会议')
@Controller('meetings/calendar')
export class CalendarController {
  constructor(private readonly calendar: MeetingCalendar) {}

  @Get('community/:communityId.ics')
  @RequirePermission(Permission.MeetingsRead)
  @Header('Content-Type', CALENDAR)
  @Header('Cache-Control', 'private, max-age=300')
  @ApiProduces('text/calendar')
  @ApiOperation({ summary: "iCalendar (RFC 5545) feed of a community's joint meetings (past 400 days and ahead)" })
  @ApiOkResponse({ description: 'text/calendar', schema: { type: 'string' } })
  community(@CurrentPrincipal() principal: Principal, @Param('communityId', ParseUUIDPipe) communityId: string): Promise<string> {
    return this.calendar.community(principal, communityId);
  }

  @Get('me.ics')
  @Authenticated()
  @Header('Content-Type', CALENDAR)
  @Header('Cache-Control', 'private, max-age=300')
  @ApiProduces('text/calendar')
  @ApiOperation({ summary: "iCalendar feed of your meetings: those of the parties you represent, and those you convened" })
  @ApiOkResponse({ description: 'text/calendar', schema: { type: 'string' } })
  mine(@CurrentPrincipal() principal: Principal): Promise<string> {
    return this.calendar.mine(principal);
  }
}
