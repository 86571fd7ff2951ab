package com.supportress.incident;

import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.schedule.ScheduleEvent;
import io.micronaut.context.ApplicationContext;

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
}
