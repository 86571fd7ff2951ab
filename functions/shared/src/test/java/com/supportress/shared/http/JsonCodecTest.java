package com.supportress.shared.http;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: what untrusted JSON the strict reader refuses, and what request bodies get which status. */
class JsonCodecTest {

    private final JsonCodec json = new JsonCodec(JsonMapper.createDefault());

    @Test
    void readsAnObjectWithEveryKindOfValue() {
        JsonNode node = json.parse(utf8("{\"s\":\"é😀\",\"n\":12,\"big\":123456789012345678901234,\"f\":1.5,\"b\":true,\"z\":null,\"a\":[1,{}]}"));
        assertEquals("é😀", node.get("s").getStringValue());
        assertEquals(Optional.of(12L), JsonFields.exactLong(node.get("n")));
        assertEquals(Optional.empty(), JsonFields.exactLong(node.get("big")));
        assertEquals(Optional.empty(), JsonFields.exactLong(node.get("f")));
        assertTrue(node.get("z").isNull());
        assertEquals(2, node.get("a").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}xyz", "{\"a\":1}{}", "{\"a\":1} 1", "[1]]"})
    void refusesDataAfterTheValue(String body) {
        assertThrows(JsonCodec.MalformedJsonException.class, () -> json.parse(utf8(body)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00x\"}", "{\"\\ud83d\":1}", "{\"a\":\"\\ud83d\\u0041\"}"})
    void refusesUnpairedSurrogateEscapesInStringsAndNames(String body) {
        assertThrows(JsonCodec.MalformedJsonException.class, () -> json.parse(utf8(body)));
    }

    @Test
    void acceptsSurrogatePairEscapes() {
        assertEquals("😀", json.parse(utf8("{\"a\":\"\\ud83d\\ude00\"}")).get("a").getStringValue());
    }

    @Test
    void refusesIllFormedUtf8SurrogatesEncodedInUtf8AndOverlongForms() {
        for (byte[] bad : new byte[][]{
                {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'},   // U+D800 encoded as UTF-8 (CESU)
                {'"', (byte) 0xC0, (byte) 0xAF, '"'},                // overlong '/'
                {'"', (byte) 0xFF, '"'},
                {'"', (byte) 0xE2, (byte) 0x82, '"'}}) {              // truncated sequence
            assertThrows(JsonCodec.MalformedJsonException.class, () -> json.parse(bad));
        }
    }

    @Test
    void refusesNestingDeeperThanTheLimitWithoutRecursion() {
        String ok = "[".repeat(StrictJson.MAX_DEPTH) + "]".repeat(StrictJson.MAX_DEPTH);
        assertTrue(json.parse(utf8(ok)).isArray());
        String tooDeep = "[".repeat(StrictJson.MAX_DEPTH + 1) + "]".repeat(StrictJson.MAX_DEPTH + 1);
        assertThrows(JsonCodec.MalformedJsonException.class, () -> json.parse(utf8(tooDeep)));
        // 100,000 levels: refused at level 65, no StackOverflowError.
        String hostile = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertThrows(JsonCodec.MalformedJsonException.class, () -> json.parse(utf8(hostile)));
    }

    @Test
    void refusesDuplicateNames() {
        assertThrows(JsonCodec.MalformedJsonException.class, () -> json.parse(utf8("{\"id\":\"a\",\"id\":\"b\"}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{'a':1}", "{\"a\":NaN}", "{\"a\":01}", "/*c*/{}", "{\"a\":1,}"})
    void refusesWhatRfc8259DoesNotAllow(String body) {
        assertThrows(JsonCodec.MalformedJsonException.class, () -> json.parse(utf8(body)));
    }

    @Test
    void hugeExponentsStayCheapDoubles() {
        JsonNode node = json.parse(utf8("{\"a\":1e999999999,\"b\":-1e-999999999}"));
        assertEquals(Optional.empty(), JsonFields.exactLong(node.get("a")));
        assertEquals(Double.valueOf(-0.0), node.get("b").getNumberValue());
    }

    @Test
    void wholeNumbersInAnyNotationAreExactWithinLongAndRefusedBeyond() {
        JsonNode node = json.parse(utf8("{\"a\":2.0,\"b\":2e3,\"c\":9223372036854775807,\"d\":9223372036854775808,\"e\":1.5e300,\"f\":-0}"));
        assertEquals(Optional.of(2L), JsonFields.exactLong(node.get("a")));
        assertEquals(Optional.of(2000L), JsonFields.exactLong(node.get("b")));
        assertEquals(Optional.of(Long.MAX_VALUE), JsonFields.exactLong(node.get("c")));
        assertEquals(Optional.empty(), JsonFields.exactLong(node.get("d")));
        assertEquals(Optional.empty(), JsonFields.exactLong(node.get("e")));
        assertEquals(Optional.of(0L), JsonFields.exactLong(node.get("f")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json ; charset=utf-8", "Application/JSON;charset=\"UTF-8\"", "application/json;foo=bar", "application/json;"})
    void jsonBodiesAreAcceptedUnderAnySpellingOfTheirMediaType(String contentType) {
        assertTrue(json.readObjectBody(request(contentType, "{}"), 100).isObject());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/jsonx", "text/json", "application/json; charset=latin1", "application/json; charset", "application/json; charset=utf-8; charset=latin1", ""})
    void otherMediaTypesAre415(String contentType) {
        ClientErrorException e = assertThrows(ClientErrorException.class, () -> json.readObjectBody(request(contentType, "{}"), 100));
        assertInstanceOf(ClientError.UnsupportedMediaType.class, e.error());
    }

    @Test
    void malformedBodyIsA400SayingWhy() {
        ClientErrorException e = assertThrows(ClientErrorException.class, () -> json.readObjectBody(request("application/json", "{}{}"), 100));
        assertEquals(400, e.error().status());
        assertTrue(e.error().message().contains("more data follows"), e.error().message());
    }

    private static ApiRequest request(String contentType, String body) {
        return new ApiRequest("POST", "/x", Map.of("content-type", contentType), Map.of(), Map.of(), utf8(body), "127.0.0.1", "r", "localhost");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
