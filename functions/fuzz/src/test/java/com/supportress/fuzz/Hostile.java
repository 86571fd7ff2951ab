package com.supportress.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * What an attacker or a broken client sends, as generators: hostile text and numbers, JSON trees with a few
 * values replaced, removed or nested deep, and byte-level damage to the serialized body (trailing data, unpaired
 * surrogate escapes, ill-formed UTF-8, duplicate names, truncation).
 */
final class Hostile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Hostile() {
    }

    /** Strings that broke or could break something: separators, controls, bidi, huge, path syntax, emoji. */
    static Gen<String> strings() {
        return Gen.oneOf(
                Gen.of("", " ", "a\u2028b", "a\u2029b", "a\u0085b", "a\u202eb", "a\u200bb", "a\u0000b", "a\r\nBcc: x@y.z", "a\tb",
                        "\ufeff", "😀", "../../etc/passwd", "C:\\x", "%00", "${jndi:ldap://x}", "<script>", "upl_" + "0".repeat(40),
                        "inc_" + "a".repeat(32), "evt_1", "cus_TdemoAcme0001", "x".repeat(300), "x".repeat(3000), "é".repeat(201)),
                Gen.anyChars(40),
                Gen.anyChars(20));
    }

    /** Numbers at and beyond every boundary the code reads: negative, fractional, beyond int64, huge exponents. */
    static Gen<String> numbers() {
        return Gen.oneOf(
                Gen.of("0", "-0", "-1", "1", "1.5", "2.0", "1e2", "1.5e300", "-1.5e300", "1e-400", "1e999999999",
                        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
                        "253402300800", "1" + "0".repeat(99), "1" + "0".repeat(200)),
                Gen.longs().map(String::valueOf));
    }

    /** A JSON value of any kind, as text: hostile strings and numbers, containers, nesting past every limit. */
    static Gen<String> values() {
        return Gen.oneOf(
                strings().map(Hostile::quoted),
                numbers(),
                Gen.of("true", "false", "null", "{}", "[]", "[null]", "{\"object\":{}}", "\"\\ud800\"", "\"\\udc00x\"",
                        "[".repeat(65) + "]".repeat(65), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
                        "[".repeat(100_000) + "]".repeat(100_000)));
    }

    /** A seed body damaged by one to three tree mutations and, often, byte-level damage. */
    static Gen<byte[]> mutated(List<String> seeds) {
        Gen<String> seed = seeds.isEmpty() ? Gen.just("{}") : Gen.of(seeds);
        Gen<TreeMutation> treeMutation = random -> new TreeMutation(random.nextInt(3), values().next(random), strings().next(random), random.nextLong());
        Gen<ByteMutation> byteMutation = random -> new ByteMutation(random.nextInt(10), random.nextLong());
        return random -> {
            String body = seed.next(random);
            for (TreeMutation mutation : treeMutation.list(1, 3).next(random)) {
                body = mutation.apply(body);
            }
            byte[] utf8 = body.getBytes(StandardCharsets.UTF_8);
            ByteMutation damage = byteMutation.orNull(0.4).next(random);
            return damage == null ? utf8 : damage.apply(utf8);
        };
    }

    /** Bodies owing nothing to a seed: random bytes, random text, random JSON values. */
    static Gen<byte[]> random() {
        return Gen.oneOf(
                Gen.bytes(200),
                Gen.anyChars(100).map(text -> text.getBytes(StandardCharsets.UTF_8)),
                values().map(text -> text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replace a value (kind 0), remove a member (1) or add a member with a hostile name (2), at a random place in the tree. */
    private record TreeMutation(int kind, String value, String name, long seed) {

        // Stands in the tree for the raw value text, which goes in after serialization exactly as written
        // (unpaired surrogate escapes, nesting deeper than Jackson's own limit, digits beyond any double).
        private static final String MARKER = "@@fuzz-value@@";

        String apply(String body) {
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (IOException | RuntimeException e) {
                return body;
            }
            if (!(root instanceof ContainerNode<?>)) {
                return value;
            }
            List<ContainerNode<?>> containers = new ArrayList<>();
            collect(root, containers);
            Random random = new Random(seed);
            ContainerNode<?> target = containers.get(random.nextInt(containers.size()));
            JsonNode marker = NODES.textNode(MARKER);
            switch (target) {
                case ObjectNode object when kind == 0 && !object.isEmpty() -> object.set(pick(object.fieldNames(), random), marker);
                case ObjectNode object when kind == 1 && !object.isEmpty() -> object.remove(pick(object.fieldNames(), random));
                case ObjectNode object -> object.set(name, marker);
                case ArrayNode array when !array.isEmpty() -> array.set(random.nextInt(array.size()), marker);
                case ArrayNode array -> array.add(marker);
                default -> {
                }
            }
            try {
                return JSON.writeValueAsString(root).replace(quoted(MARKER), value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String pick(Iterator<String> names, Random random) {
            List<String> all = new ArrayList<>();
            names.forEachRemaining(all::add);
            return all.get(random.nextInt(all.size()));
        }

        private static void collect(JsonNode node, List<ContainerNode<?>> containers) {
            if (node instanceof ContainerNode<?> container) {
                containers.add(container);
                node.forEach(child -> collect(child, containers));
            }
        }
    }

    /** Damage to the bytes themselves, where a JSON library would never go. */
    private record ByteMutation(int kind, long seed) {
        byte[] apply(byte[] body) {
            Random random = new Random(seed);
            int at = body.length == 0 ? 0 : random.nextInt(body.length + 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (kind) {
                case 0 -> splice(out, body, at, "xyz");
                case 1 -> splice(out, body, body.length, "{}");
                case 2 -> splice(out, body, at, "\"\\ud800\"");
                case 3 -> splice(out, body, at, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
                case 4 -> splice(out, body, at, new byte[] {(byte) 0xFF});
                case 5 -> splice(out, body, at, new byte[] {(byte) 0xC0, (byte) 0xAF});
                case 6 -> out.write(body, 0, at);
                case 7 -> splice(out, body, body.length > 1 ? 1 : 0, "\"id\":\"dup\",");
                case 8 -> splice(out, body, at, "\u2028");
                default -> {
                    out.writeBytes("[".getBytes(StandardCharsets.UTF_8));
                    out.writeBytes(body);
                    out.writeBytes("]".getBytes(StandardCharsets.UTF_8));
                }
            }
            return out.toByteArray();
        }

        private static void splice(ByteArrayOutputStream out, byte[] body, int at, String text) {
            splice(out, body, at, text.getBytes(StandardCharsets.UTF_8));
        }

        private static void splice(ByteArrayOutputStream out, byte[] body, int at, byte[] inserted) {
            out.write(body, 0, at);
            out.writeBytes(inserted);
            out.write(body, at, body.length - at);
        }
    }
}
