package com.supportress.incident;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** /.well-known/security.txt (RFC 9116): where and how to report, valid for a configured number of days. */
@Singleton
public class SecurityTxt {

    private final IncidentIntakeConfig config;
    private final Clock clock;

    public SecurityTxt(IncidentIntakeConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /**
     * The file for a request that reached us at this host; the report form and the intake URL are on the same host.
     * Contacts are listed in order of preference (RFC 9116, 2.5.3): the form first, for people; the JSON intake for
     * tools; the mailbox.
     */
    public String render(String host) {
        Instant expires = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(config.securityTxtValidDays()));
        String origin = (host.startsWith("localhost") || host.startsWith("127.0.0.1") ? "http://" : "https://") + host;
        return "# Report abuse, misuse, an exploit or an incident: fill in the form (first contact), POST a JSON report to the\n"
                + "# second, or mail the third. The form's receipt lets you follow your report and talk to us without an account.\n"
                + "Contact: " + origin + "/report\n"
                + "Contact: " + origin + "/incidents\n"
                + "Contact: mailto:" + config.securityTeamEmail() + "\n"
                + "Expires: " + expires + "\n"
                + "Preferred-Languages: " + String.join(", ", config.preferredLanguages()) + "\n"
                + "Policy: " + config.securityPolicyUrl() + "\n";
    }
}
