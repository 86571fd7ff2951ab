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

    /** The file for a request that reached us at this host; the intake URL is on the same host. */
    public String render(String host) {
        Instant expires = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(config.securityTxtValidDays()));
        String intakeUrl = (host.startsWith("localhost") || host.startsWith("127.0.0.1") ? "http://" : "https://") + host + "/incidents";
        return "# Report abuse, misuse, an exploit or an incident: POST a JSON report to the first contact.\n"
                + "Contact: " + intakeUrl + "\n"
                + "Contact: mailto:" + config.securityTeamEmail() + "\n"
                + "Expires: " + expires + "\n"
                + "Preferred-Languages: " + String.join(", ", config.preferredLanguages()) + "\n"
                + "Policy: " + config.securityPolicyUrl() + "\n";
    }
}
