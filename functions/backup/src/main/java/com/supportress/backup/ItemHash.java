package com.supportress.backup;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A hash of a table's content that ignores item order: the SHA-256 of each item in a canonical form
 * (attributes by name, set members sorted, numbers normalised) summed as four 64-bit lanes. Parallel
 * scan segments, restore threads and a rescan of a restored table all reach the same value for the
 * same items, so comparing hashes compares every item.
 */
public final class ItemHash {

    private final long[] lanes = new long[4];
    private final MessageDigest digest = sha256();
    private long items;

    public ItemHash() {
    }

    /** A partial hash saved as {@link #hex()} with its item count, to continue adding to it. */
    public static ItemHash of(String hex, long items) {
        ItemHash hash = new ItemHash();
        ByteBuffer bytes = ByteBuffer.wrap(HexFormat.of().parseHex(hex));
        for (int i = 0; i < hash.lanes.length; i++) {
            hash.lanes[i] = bytes.getLong();
        }
        hash.items = items;
        return hash;
    }

    public void add(Map<String, AttributeValue> item) {
        digest.reset();
        feedMap(item);
        ByteBuffer hash = ByteBuffer.wrap(digest.digest());
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] += hash.getLong();
        }
        items++;
    }

    public void addAll(ItemHash other) {
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] += other.lanes[i];
        }
        items += other.items;
    }

    public long items() {
        return items;
    }

    public String hex() {
        ByteBuffer bytes = ByteBuffer.allocate(32);
        for (long lane : lanes) {
            bytes.putLong(lane);
        }
        return HexFormat.of().formatHex(bytes.array());
    }

    private void feedMap(Map<String, AttributeValue> map) {
        feed('{');
        for (Map.Entry<String, AttributeValue> attribute : new TreeMap<>(map).entrySet()) {
            feedString(attribute.getKey());
            feedValue(attribute.getValue());
        }
        feed('}');
    }

    private void feedValue(AttributeValue value) {
        switch (value.type()) {
            case S -> { feed('S'); feedString(value.s()); }
            case N -> { feed('N'); feedString(canonicalNumber(value.n())); }
            case B -> { feed('B'); feedBytes(value.b().asByteArrayUnsafe()); }
            case BOOL -> feed(value.bool() ? 'T' : 'F');
            case NUL -> feed('0');
            case SS -> feedSorted('s', value.ss());
            case NS -> feedSorted('n', value.ns().stream().map(ItemHash::canonicalNumber).toList());
            case BS -> {
                List<String> members = new ArrayList<>();
                for (SdkBytes bytes : value.bs()) {
                    members.add(HexFormat.of().formatHex(bytes.asByteArrayUnsafe()));
                }
                feedSorted('b', members);
            }
            case M -> { feed('M'); feedMap(value.m()); }
            case L -> {
                feed('[');
                value.l().forEach(this::feedValue);
                feed(']');
            }
            default -> throw new IllegalArgumentException("attribute type unknown to this SDK version: " + value);
        }
    }

    /** DynamoDB keeps numbers as decimals: 1, 1.0 and 1E0 are one number and must hash alike. */
    private static String canonicalNumber(String number) {
        BigDecimal value = new BigDecimal(number);
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toString();
    }

    private void feedSorted(char type, List<String> members) {
        String[] sorted = members.toArray(String[]::new);
        Arrays.sort(sorted);
        feed(type);
        feedInt(sorted.length);
        for (String member : sorted) {
            feedString(member);
        }
    }

    private void feedString(String value) {
        feedBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    // Length prefixes keep the encoding unambiguous: no two different items feed the same bytes.
    private void feedBytes(byte[] bytes) {
        feedInt(bytes.length);
        digest.update(bytes);
    }

    private void feedInt(int value) {
        digest.update((byte) (value >>> 24));
        digest.update((byte) (value >>> 16));
        digest.update((byte) (value >>> 8));
        digest.update((byte) value);
    }

    private void feed(char marker) {
        digest.update((byte) marker);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
