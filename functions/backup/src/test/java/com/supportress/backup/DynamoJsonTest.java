package com.supportress.backup;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: the item file format (DynamoDB JSON lines) and the order-independent content hash. */
class DynamoJsonTest {

    static Map<String, AttributeValue> everyType(String id) {
        return Map.ofEntries(
                Map.entry("id", AttributeValue.fromS(id)),
                Map.entry("text", AttributeValue.fromS("ünïcödé \"quoted\" \n newline ✓")),
                Map.entry("bigNumber", AttributeValue.fromN("123456789012345678901234567890.000000001")),
                Map.entry("smallNumber", AttributeValue.fromN("-1E-130")),
                Map.entry("binary", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[]{0, -1, 127, -128, 10}))),
                Map.entry("flag", AttributeValue.fromBool(false)),
                Map.entry("nothing", AttributeValue.fromNul(true)),
                Map.entry("strings", AttributeValue.fromSs(List.of("b", "a", "ç"))),
                Map.entry("numbers", AttributeValue.fromNs(List.of("1", "2.5", "-3"))),
                Map.entry("binaries", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[]{1}), SdkBytes.fromByteArray(new byte[]{2, 3})))),
                Map.entry("emptyList", AttributeValue.fromL(List.of())),
                Map.entry("emptyMap", AttributeValue.fromM(Map.of())),
                Map.entry("emptyString", AttributeValue.fromS("")),
                Map.entry("nested", AttributeValue.fromM(Map.of(
                        "list", AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromS("x"),
                                AttributeValue.fromM(Map.of("deep", AttributeValue.fromBool(true))), AttributeValue.fromNul(true))),
                        "set", AttributeValue.fromSs(List.of("only"))))));
    }

    /**
     * Every attribute type, in values moto 5.2's ImportTable reads back intact. Its import parser keeps
     * {@code \\u00e7} escapes literally, cuts strings at an escaped quote and drops items holding an empty
     * map, all while reporting the import COMPLETED without errors (DynamoDB's import reads standard JSON).
     * The write path and this class's own tests cover those values.
     */
    static Map<String, AttributeValue> everyTypeMotoImports(String id) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(everyType(id));
        item.put("text", AttributeValue.fromS("plain text, spaces and punctuation: (a|b) & c; 100% ok"));
        item.put("strings", AttributeValue.fromSs(List.of("b", "a", "c")));
        item.remove("emptyMap");
        return item;
    }

    @Test
    void everyAttributeTypeSurvivesWritingAndReadingUnchanged() throws IOException {
        List<Map<String, AttributeValue>> items = List.of(everyType("a"), everyType("b"), Map.of("id", AttributeValue.fromS("c")));

        assertEquals(items, readAll(write(items)));
    }

    @Test
    void eachItemIsOneLineInDynamoDbExportFormat() throws IOException {
        String text = new String(write(List.of(Map.of("id", AttributeValue.fromS("x"), "n", AttributeValue.fromN("1.50")))), StandardCharsets.UTF_8);

        assertTrue(text.equals("{\"Item\":{\"id\":{\"S\":\"x\"},\"n\":{\"N\":\"1.50\"}}}\n")
                || text.equals("{\"Item\":{\"n\":{\"N\":\"1.50\"},\"id\":{\"S\":\"x\"}}}\n"), text);
    }

    @Test
    void aTruncatedLineIsAnErrorNotAShorterTable() throws IOException {
        byte[] file = write(List.of(everyType("a"), everyType("b")));
        byte[] truncated = java.util.Arrays.copyOf(file, file.length - 20);

        assertThrows(IOException.class, () -> readAll(truncated));
    }

    @Test
    void contentHashIgnoresItemOrderAndSetOrderButSeesEveryValue() {
        ItemHash forward = hash(List.of(everyType("a"), everyType("b")));
        ItemHash backward = hash(List.of(everyType("b"), everyType("a")));
        Map<String, AttributeValue> reordered = new java.util.HashMap<>(everyType("a"));
        reordered.put("strings", AttributeValue.fromSs(List.of("ç", "a", "b")));
        reordered.put("numbers", AttributeValue.fromNs(List.of("-3", "2.50", "1")));
        Map<String, AttributeValue> changed = new java.util.HashMap<>(everyType("a"));
        changed.put("flag", AttributeValue.fromBool(true));
        Map<String, AttributeValue> retyped = new java.util.HashMap<>(everyType("a"));
        retyped.put("text", AttributeValue.fromSs(List.of("ünïcödé \"quoted\" \n newline ✓")));

        assertEquals(forward.hex(), backward.hex());
        assertEquals(hash(List.of(everyType("a"))).hex(), hash(List.of(reordered)).hex());
        assertNotEquals(hash(List.of(everyType("a"))).hex(), hash(List.of(changed)).hex());
        assertNotEquals(hash(List.of(everyType("a"))).hex(), hash(List.of(retyped)).hex());
        assertEquals(2, forward.items());
    }

    @Test
    void aPartialHashSavedInACheckpointContinuesToTheSameResult() {
        ItemHash whole = hash(List.of(everyType("a"), everyType("b"), everyType("c")));
        ItemHash first = hash(List.of(everyType("a")));

        ItemHash resumed = ItemHash.of(first.hex(), first.items());
        resumed.add(everyType("b"));
        resumed.add(everyType("c"));

        assertEquals(whole.hex(), resumed.hex());
        assertEquals(3, resumed.items());
    }

    @Test
    void aScanPositionSurvivesItsCheckpointAsOneLine() {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("tenant#ü\n\"x\""), "sk", AttributeValue.fromN("42.50"),
                "bin", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[]{0, -1})));

        String line = DynamoJson.toLine(key);

        assertEquals(key, DynamoJson.fromLine(line));
        assertEquals(1, line.split("\n").length);
    }

    private static ItemHash hash(List<Map<String, AttributeValue>> items) {
        ItemHash hash = new ItemHash();
        items.forEach(hash::add);
        return hash;
    }

    private static byte[] write(List<Map<String, AttributeValue>> items) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = DynamoJson.FACTORY.createGenerator(out)) {
            for (Map<String, AttributeValue> item : items) {
                DynamoJson.writeItem(json, item);
            }
        }
        return out.toByteArray();
    }

    private static List<Map<String, AttributeValue>> readAll(byte[] file) throws IOException {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        try (JsonParser parser = DynamoJson.FACTORY.createParser(file)) {
            for (Optional<Map<String, AttributeValue>> item; (item = DynamoJson.readItem(parser)).isPresent(); ) {
                items.add(item.get());
            }
        }
        return items;
    }
}
