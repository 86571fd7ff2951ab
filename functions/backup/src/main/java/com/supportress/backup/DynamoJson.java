package com.supportress.backup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Items as DynamoDB JSON lines, the format of DynamoDB's own S3 export ({@code {"Item":{"id":{"S":"a"}}}}
 * per line), so a backup file can also be loaded with DynamoDB's native import. Lossless: numbers stay
 * the strings DynamoDB returned, binaries are base64, sets and nested maps and lists keep their types.
 */
public final class DynamoJson {

    public static final JsonFactory FACTORY = JsonFactory.builder().build();

    private DynamoJson() {
    }

    public static void writeItem(JsonGenerator out, Map<String, AttributeValue> item) throws IOException {
        out.writeStartObject();
        out.writeFieldName("Item");
        writeMap(out, item);
        out.writeEndObject();
        out.writeRaw('\n');
    }

    private static void writeMap(JsonGenerator out, Map<String, AttributeValue> map) throws IOException {
        out.writeStartObject();
        for (Map.Entry<String, AttributeValue> attribute : map.entrySet()) {
            out.writeFieldName(attribute.getKey());
            writeValue(out, attribute.getValue());
        }
        out.writeEndObject();
    }

    private static void writeValue(JsonGenerator out, AttributeValue value) throws IOException {
        out.writeStartObject();
        switch (value.type()) {
            case S -> out.writeStringField("S", value.s());
            case N -> out.writeStringField("N", value.n());
            case B -> {
                out.writeFieldName("B");
                out.writeBinary(value.b().asByteArrayUnsafe());
            }
            case BOOL -> out.writeBooleanField("BOOL", value.bool());
            case NUL -> out.writeBooleanField("NULL", true);
            case SS -> writeStrings(out, "SS", value.ss());
            case NS -> writeStrings(out, "NS", value.ns());
            case BS -> {
                out.writeArrayFieldStart("BS");
                for (SdkBytes bytes : value.bs()) {
                    out.writeBinary(bytes.asByteArrayUnsafe());
                }
                out.writeEndArray();
            }
            case M -> {
                out.writeFieldName("M");
                writeMap(out, value.m());
            }
            case L -> {
                out.writeArrayFieldStart("L");
                for (AttributeValue element : value.l()) {
                    writeValue(out, element);
                }
                out.writeEndArray();
            }
            default -> throw new IllegalArgumentException("attribute type unknown to this SDK version: " + value);
        }
        out.writeEndObject();
    }

    private static void writeStrings(JsonGenerator out, String type, List<String> values) throws IOException {
        out.writeArrayFieldStart(type);
        for (String s : values) {
            out.writeString(s);
        }
        out.writeEndArray();
    }

    /** One item (or key) as a line of DynamoDB JSON, to store in a checkpoint. */
    public static String toLine(Map<String, AttributeValue> item) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            writeItem(json, item);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write an item", e);
        }
        return out.toString();
    }

    public static Map<String, AttributeValue> fromLine(String line) {
        try (JsonParser json = FACTORY.createParser(line)) {
            return readItem(json).orElseThrow(() -> new IOException("no item in " + line));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read an item", e);
        }
    }

    /** The next item of a stream of lines, or empty at its end. */
    public static Optional<Map<String, AttributeValue>> readItem(JsonParser in) throws IOException {
        JsonToken token = in.nextToken();
        if (token == null) {
            return Optional.empty();
        }
        expect(in, token, JsonToken.START_OBJECT);
        expect(in, in.nextToken(), JsonToken.FIELD_NAME);
        if (!"Item".equals(in.currentName())) {
            throw new IOException("expected field Item, found " + in.currentName() + " at " + in.currentLocation());
        }
        expect(in, in.nextToken(), JsonToken.START_OBJECT);
        Map<String, AttributeValue> item = readMapBody(in);
        expect(in, in.nextToken(), JsonToken.END_OBJECT);
        return Optional.of(item);
    }

    private static Map<String, AttributeValue> readMapBody(JsonParser in) throws IOException {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            expect(in, in.nextToken(), JsonToken.START_OBJECT);
            map.put(name, readValueBody(in));
        }
        expect(in, in.currentToken(), JsonToken.END_OBJECT);
        return map;
    }

    private static AttributeValue readValueBody(JsonParser in) throws IOException {
        expect(in, in.nextToken(), JsonToken.FIELD_NAME);
        String type = in.currentName();
        JsonToken token = in.nextToken();
        AttributeValue value = switch (type) {
            case "S" -> AttributeValue.fromS(in.getText());
            case "N" -> AttributeValue.fromN(in.getText());
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(in.getBinaryValue()));
            case "BOOL" -> AttributeValue.fromBool(in.getBooleanValue());
            case "NULL" -> AttributeValue.fromNul(true);
            case "SS" -> AttributeValue.fromSs(readStrings(in, token));
            case "NS" -> AttributeValue.fromNs(readStrings(in, token));
            case "BS" -> {
                expect(in, token, JsonToken.START_ARRAY);
                List<SdkBytes> values = new ArrayList<>();
                while (in.nextToken() != JsonToken.END_ARRAY) {
                    values.add(SdkBytes.fromByteArrayUnsafe(in.getBinaryValue()));
                }
                yield AttributeValue.fromBs(values);
            }
            case "M" -> {
                expect(in, token, JsonToken.START_OBJECT);
                yield AttributeValue.fromM(readMapBody(in));
            }
            case "L" -> {
                expect(in, token, JsonToken.START_ARRAY);
                List<AttributeValue> values = new ArrayList<>();
                while (in.nextToken() != JsonToken.END_ARRAY) {
                    expect(in, in.currentToken(), JsonToken.START_OBJECT);
                    values.add(readValueBody(in));
                }
                yield AttributeValue.fromL(values);
            }
            default -> throw new IOException("unknown DynamoDB type " + type + " at " + in.currentLocation());
        };
        expect(in, in.nextToken(), JsonToken.END_OBJECT);
        return value;
    }

    private static List<String> readStrings(JsonParser in, JsonToken token) throws IOException {
        expect(in, token, JsonToken.START_ARRAY);
        List<String> values = new ArrayList<>();
        while (in.nextToken() != JsonToken.END_ARRAY) {
            values.add(in.getText());
        }
        return values;
    }

    private static void expect(JsonParser in, JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + ", found " + actual + " at " + in.currentLocation());
        }
    }
}
