package com.supportress.incident;

import com.supportress.shared.http.JsonFields;
import io.micronaut.json.tree.JsonNode;

import java.util.Optional;
import java.util.regex.Pattern;

/** The body of every route that adds text to a report (a reporter's message, a reply, a note): {@code {"text": "..."}}. */
final class MessageText {

    static final int MAX_CHARACTERS = 10_000;
    /** A body holds one text of at most 10,000 characters (each at most 4 UTF-8 bytes), and a little JSON around it. */
    static final int MAX_BODY_BYTES = 48 * 1024;
    // Multi-line text may keep line breaks and tabs, nothing else below space.
    private static final Pattern CONTROL_EXCEPT_LINES = Pattern.compile("[\\p{Cntrl}&&[^\\r\\n\\t]]");

    private MessageText() {
    }

    static String from(JsonNode body) {
        JsonFields fields = new JsonFields(body);
        String text = fields.requiredString("text", MAX_CHARACTERS);
        fields.check("text", Optional.ofNullable(text), value -> !CONTROL_EXCEPT_LINES.matcher(value).find(),
                "must not contain control characters other than line breaks and tabs");
        fields.throwIfInvalid();
        return text;
    }
}
