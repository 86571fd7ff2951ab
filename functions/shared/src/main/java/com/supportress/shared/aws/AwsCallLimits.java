package com.supportress.shared.aws;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How long one AWS call may take, retries included, on the clients a function builds. HTTP functions answer behind
 * API Gateway, which gives up after 29 s: their calls get short attempt and call timeouts and one retry, so a slow
 * dependency ends in a 503 in time rather than a gateway timeout. Scheduled and queue functions keep the SDK's own
 * retries and no call timeout; their function's Timeout bounds a run, and a patient retry may well succeed.
 */
public record AwsCallLimits(Optional<Duration> callTimeout, Optional<Duration> attemptTimeout, OptionalInt maxAttempts) {

    /** Behind API Gateway: each call done or failed within 4 s, in at most two attempts of at most 2 s. */
    public static final AwsCallLimits REQUEST_PATH = new AwsCallLimits(
            Optional.of(Duration.ofSeconds(4)), Optional.of(Duration.ofSeconds(2)), OptionalInt.of(2));

    /** Schedules, queues and custom resources: the SDK's defaults. */
    public static final AwsCallLimits BACKGROUND = new AwsCallLimits(Optional.empty(), Optional.empty(), OptionalInt.empty());

    /** The client's own configuration with these limits wherever it sets none (a client's explicit choice wins). */
    ClientOverrideConfiguration applyTo(ClientOverrideConfiguration configuration) {
        ClientOverrideConfiguration.Builder limited = configuration.toBuilder();
        if (limited.apiCallTimeout() == null) {
            callTimeout.ifPresent(limited::apiCallTimeout);
        }
        if (limited.apiCallAttemptTimeout() == null) {
            attemptTimeout.ifPresent(limited::apiCallAttemptTimeout);
        }
        if (limited.retryStrategy() == null && limited.retryStrategyConfigurator() == null) {
            maxAttempts.ifPresent(attempts -> limited.retryStrategy(
                    AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(attempts).build()));
        }
        return limited.build();
    }
}
