package com.supportress.shared.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The system clock, unless a test registers its own to move time (rate windows, expiry, retention). */
@Factory
public class ClockFactory {

    @Singleton
    @Secondary
    Clock systemClock() {
        return Clock.systemUTC();
    }
}
