package com.supportress.incident;

import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.schedule.ScheduleEvent;
import io.micronaut.context.ApplicationContext;

import java.time.Instant;

/**
 * Lambda entry point for the response workflow's schedule (every 15 minutes): first-response alarms, owed thread
 * mails, and removal of reporters' data past retention ({@link TimersService}). It reads nothing from its event.
 */
public class IncidentTimersHandler extends FunctionHandler<ScheduleEvent, TimersService.TimersResult> {

    public IncidentTimersHandler() {
    }

    public IncidentTimersHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public TimersService.TimersResult execute(ScheduleEvent event) {
        TimersService.TimersResult result = getApplicationContext().getBean(TimersService.class).run();
        if (result.alarmsOwed() > 0) {
            // SNS refused an alarm a person needs: fail the run, so the Errors alarm says so too.
            throw new IllegalStateException(result.alarmsOwed() + " first-response alarms could not be published");
        }
        return result;
    }

    /** The timers' first query, of a moment before any report (so nothing is due), and their service with its clients. */
    @Override
    protected void prime(ApplicationContext context) {
        context.getBean(ResponseStore.class).due(Activity.DUE_FIRST_RESPONSE, Instant.EPOCH, 1);
        context.getBean(TimersService.class);
    }
}
