package com.supportress.incident;

import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;

/**
 * What the response workflow (follow-up, triage, timers) reads from its environment, besides the tables and mail
 * addresses of {@link IncidentIntakeConfig}. The names are the ones template.yaml sets from its parameters.
 */
public record ResponseConfig(
        String securityTeamGroup,
        String groupsClaim,
        Duration firstResponseTarget,
        Duration reporterDataRetention,
        int followUpRequestsPerSourcePerHour,
        int messagesPerReport,
        long attachmentMaxBytes,
        Optional<String> opsTopicArn) {

    public ResponseConfig {
        if (firstResponseTarget.isNegative() || firstResponseTarget.isZero()) {
            throw new IllegalStateException("FIRST_RESPONSE_HOURS must be at least 1");
        }
        if (reporterDataRetention.isNegative() || reporterDataRetention.isZero()) {
            throw new IllegalStateException("REPORTER_DATA_RETENTION_DAYS must be at least 1");
        }
    }

    public static ResponseConfig from(FunctionEnvironment env) {
        return new ResponseConfig(
                env.get("SECURITY_TEAM_GROUP", "security-team"),
                env.get("SECURITY_TEAM_GROUPS_CLAIM", "cognito:groups"),
                Duration.ofHours(env.getLong("FIRST_RESPONSE_HOURS", 24)),
                Duration.ofDays(env.getLong("REPORTER_DATA_RETENTION_DAYS", 90)),
                env.getInt("FOLLOW_UP_REQUESTS_PER_SOURCE_PER_HOUR", 60),
                env.getInt("MESSAGES_PER_REPORT", 50),
                env.getLong("ATTACHMENT_MAX_BYTES", 25L * 1024 * 1024),
                env.find("OPS_TOPIC_ARN"));
    }

    @Factory
    static class Beans {
        @Singleton
        ResponseConfig responseConfig(FunctionEnvironment environment) {
            return ResponseConfig.from(environment);
        }
    }
}
