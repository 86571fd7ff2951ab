package com.supportress.shared.http;

import io.micronaut.serde.annotation.Serdeable;

/** One invalid request field and what is wrong with it. */
@Serdeable
public record FieldError(String field, String message) {
}
