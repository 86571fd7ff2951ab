package com.supportress.shared.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: media types as RFC 9110 section 8.3.1 writes them. */
class MediaTypeTest {

    @Test
    void typeSubtypeAndParameterNamesAreCaseInsensitiveAndQuotedValuesUnquoted() {
        MediaType type = MediaType.parse("Multipart/Form-Data ;\tBoundary=\"a \\\"b\\\" c\" ; charset=UTF-8").orElseThrow();
        assertTrue(type.is("multipart", "form-data"));
        assertEquals(Optional.of("a \"b\" c"), type.parameter("boundary"));
        assertEquals(Optional.of("UTF-8"), type.parameter("Charset"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "json", "application/", "/json", "application/json x", "application/json; a=\"unterminated",
            "application/json; =x", "application/json; a=b c", "application/json\u0000", "application /json"})
    void malformedValuesAreNoMediaType(String value) {
        assertTrue(MediaType.parse(value).isEmpty(), value);
    }
}
