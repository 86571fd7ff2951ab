package com.supportress.shared.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.supportress.shared.http.JsonCodec.MalformedJsonException;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads untrusted JSON (RFC 8259, as I-JSON RFC 7493 narrows it) into a tree in one streaming pass, with no
 * recursion: the nesting limit is Jackson's {@link StreamReadConstraints}, checked by the tokenizer before the
 * deeper value exists, so no input can overflow the stack. Refused: bytes that are not well-formed UTF-8,
 * strings with unpaired surrogates (also those written as JSON escapes such as "\\ud800"), duplicate names, anything after the value.
 * Numbers keep their exact integer value ({@code long} or {@link BigInteger}); fractions and exponents become
 * a {@code double} (1e999999999 is infinite, 1e-400 is 0), so no later conversion can expand a hostile exponent.
 */
final class StrictJson {

    /** Deeper than any provider event we read (Stripe's objects stay under 10 levels), shallow enough for any stack. */
    static final int MAX_DEPTH = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxNumberLength(100).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private StrictJson() {
    }

    static JsonNode parse(byte[] bytes) {
        requireUtf8(bytes);
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            JsonNode root = readValue(parser, parser.nextToken());
            if (parser.nextToken() != null) {
                throw new MalformedJsonException("more data follows the JSON value");
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw new MalformedJsonException("JSON is nested deeper than " + MAX_DEPTH + " levels or has a number longer than 100 digits");
        } catch (JsonParseException e) {
            throw new MalformedJsonException(e.getOriginalMessage().startsWith("Duplicate field")
                    ? "JSON object has a duplicate name" : "not valid JSON");
        } catch (IOException e) {
            throw new MalformedJsonException("not valid JSON");
        }
    }

    private static void requireUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new MalformedJsonException("not well-formed UTF-8");
        }
    }

    /** An array or object under construction; the explicit stack replaces recursion. */
    private record Open(List<JsonNode> elements, Map<String, JsonNode> members, String[] pendingName) {
        static Open array() {
            return new Open(new ArrayList<>(), null, null);
        }

        static Open object() {
            return new Open(null, new LinkedHashMap<>(), new String[1]);
        }

        JsonNode close() {
            return elements != null ? JsonNode.createArrayNode(elements) : JsonNode.createObjectNode(members);
        }

        void add(JsonNode value) {
            if (elements != null) {
                elements.add(value);
            } else {
                members.put(pendingName[0], value);
            }
        }
    }

    private static JsonNode readValue(JsonParser parser, JsonToken first) throws IOException {
        if (first == null) {
            throw new MalformedJsonException("empty body");
        }
        Deque<Open> open = new ArrayDeque<>();
        JsonToken token = first;
        while (true) {
            JsonNode complete = switch (token) {
                case START_OBJECT -> {
                    open.push(Open.object());
                    yield null;
                }
                case START_ARRAY -> {
                    open.push(Open.array());
                    yield null;
                }
                case FIELD_NAME -> {
                    open.peek().pendingName()[0] = wellFormed(parser.currentName());
                    yield null;
                }
                case END_OBJECT, END_ARRAY -> open.pop().close();
                case VALUE_STRING -> JsonNode.createStringNode(wellFormed(parser.getText()));
                case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? JsonNode.createNumberNode(parser.getBigIntegerValue()) : JsonNode.createNumberNode(parser.getLongValue());
                case VALUE_NUMBER_FLOAT -> JsonNode.createNumberNode(parser.getDoubleValue());
                case VALUE_TRUE -> JsonNode.createBooleanNode(true);
                case VALUE_FALSE -> JsonNode.createBooleanNode(false);
                case VALUE_NULL -> JsonNode.nullNode();
                default -> throw new MalformedJsonException("not valid JSON");
            };
            if (complete != null) {
                if (open.isEmpty()) {
                    return complete;
                }
                open.peek().add(complete);
            }
            token = parser.nextToken();
            if (token == null) {
                throw new MalformedJsonException("JSON ends before its value is complete");
            }
        }
    }

    private static String wellFormed(String text) {
        if (!TextRules.isWellFormed(text)) {
            throw new MalformedJsonException("JSON string has an unpaired surrogate (ill-formed Unicode)");
        }
        return text;
    }
}
