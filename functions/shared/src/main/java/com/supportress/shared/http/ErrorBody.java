package com.supportress.shared.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** The JSON body of every 4xx and 5xx: what went wrong, and for invalid input every field at fault. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, List<FieldError> fields, String requestId) {
}
