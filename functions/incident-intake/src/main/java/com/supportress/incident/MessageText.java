package com.supportress.incident;

import com.supportress.shared.http.JsonFields;
import com.supportress.shared.http.TextRules;
import io.micronaut.json.tree.JsonNode;

import java.util.Optional;

/** The body of every route that adds text to a report (a reporter's message, a reply, a note): {@code {"text": "..."}}. */
final class MessageText {

    static final int MAX_CHARACTERS = 10_000;
    /** A body holds one text of at most 10,000 characters (each at most 4 UTF-8 bytes), and a little JSON around it. */
    static final int MAX_BODY_BYTES = 48 * 1024;

    private MessageText() {
    }

    static String from(JsonNode body) {
        JsonFields fields = new JsonFields(body);
        String text = fields.requiredString("text", MAX_CHARACTERS);
        // Multi-line: line breaks and tabs, no other control character (the shared text rule; JsonCodec's strict reader
        // has already refused ill-formed Unicode).
        fields.check("text", Optional.ofNullable(text), TextRules::isMultiLine, TextRules.MULTI_LINE_RULE);
        fields.throwIfInvalid();
        return text;
    }
}
